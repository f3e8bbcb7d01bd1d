import { test, expect } from '@playwright/test';
import { signIn } from '@careplane/e2e-fixtures';
import { readFileSync } from 'node:fs';

/*
 * The main story of the compliance plugin against the demo world (`npm start`): e-prescribing
 * (legacy-onprem, deliberately non-compliant) shows its grade and top failing checks on the
 * overview card; the Compliance tab lists every check in words with the evidence (runAsUser 0)
 * and the imported Kyverno PolicyReport; the evidence export downloads a CSV naming who exported
 * it and what failed.
 */

const SERVICE = 'e-prescribing';

test.describe('compliance scorecard', () => {
  test('card → tab → evidence export for e-prescribing', async ({ page }) => {
    // the first evaluation follows the catalog's first ingestion (refreshed every 30 s)
    test.setTimeout(240_000);
    await signIn(page);
    await page.goto(`/catalog/default/component/${SERVICE}`);

    // the card: the backend evaluates on its schedule a few seconds after start; the card
    // refetches on its own (no reload)
    await expect(
      page.getByRole('img', { name: /^Grade [A-F], score \d+ of 100/ }),
    ).toBeVisible({ timeout: 90_000 });
    const top = page.getByRole('list', { name: 'Top failing checks' });
    await expect(top.getByText('Failing').first()).toBeVisible();
    await page.screenshot({
      path: 'e2e-artifacts/compliance-card.png',
      fullPage: true,
    });

    await page.getByRole('link', { name: 'Open the compliance tab' }).click();
    await expect(page).toHaveURL(
      new RegExp(`/component/${SERVICE}/compliance`),
    );
    await expect(
      page.getByRole('row', { name: /K8S-AC-003 Failing/ }),
    ).toBeVisible();
    await expect(
      page.getByRole('row', { name: /K8S-TX-001 Failing/ }),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Details of K8S-AC-003' }).click();
    const details = page.getByRole('region', { name: 'K8S-AC-003 details' });
    await expect(
      details.getByText(
        'spec.template.spec.containers[0].securityContext.runAsUser',
      ),
    ).toBeVisible();
    await expect(
      details
        .getByText(
          'PolicyReport e-prescribing/polr-ns-e-prescribing on legacy-onprem',
        )
        .first(),
    ).toBeVisible();
    await expect(
      details.getByLabel('Remediation YAML for K8S-AC-003'),
    ).toContainText('runAsNonRoot: true');
    await page.screenshot({
      path: 'e2e-artifacts/compliance-tab.png',
      fullPage: true,
    });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export evidence (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('compliance-evidence.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('# exported by user:default/jordan.lee');
    expect(csv).toMatch(
      /component:default\/e-prescribing,K8S-AC-003,1,Runs as non-root,high,.*,fail,/,
    );
    expect(csv).not.toContain('CANARY-');
  });
});
