import { test, expect } from '@playwright/test';
import { signIn } from '@careplane/e2e-fixtures';

/*
 * The main story of the Rollouts tab against the demo world (`npm start`): video-consultation's
 * Argo canary on cloud-east waits at its indefinite pause after setWeight 20. Jordan (an owner)
 * promotes it with a reason; the simulator's controller moves it on and the tab follows live.
 */

const SIM = 'http://127.0.0.1:16440/_sim';
const SERVICE = 'video-consultation';

test.describe('entity Rollouts tab', () => {
  test.afterEach(async ({ request }) => {
    // put the shared simulator back as the demo scenario has it: the canary restarts its steps
    // from setWeight 20 and stops again at the indefinite pause
    await request.post(`${SIM}/clusters/cloud-east/mutate`, {
      data: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        namespace: SERVICE,
        name: SERVICE,
        merge: {
          status: {
            currentStepIndex: 0,
            pauseConditions: null,
            controllerPause: null,
          },
        },
      },
    });
  });

  test('promotes the paused canary with a reason and follows it moving on', async ({
    page,
  }) => {
    await signIn(page);
    await page.goto(`/catalog/default/component/${SERVICE}`);
    await page
      .getByRole('tab', { name: 'Rollouts', exact: true })
      .or(page.getByRole('link', { name: 'Rollouts', exact: true }))
      .first()
      .click();
    await expect(page).toHaveURL(new RegExp(`/component/${SERVICE}/rollouts`));

    const east = page.getByRole('region', { name: 'cloud-east', exact: true });
    const status = east.getByLabel(`Status of ${SERVICE} on cloud-east`);
    await expect(status).toHaveText(
      'Paused at step 1 of 6: waiting for a person to promote (CanaryPauseStep)',
    );
    await expect(
      east.getByText('Weight: set 20 %', { exact: false }),
    ).toBeVisible();
    await expect(
      east.getByText(
        /Paused for \d+[smh] \(CanaryPauseStep\): waiting for a person/,
      ),
    ).toBeVisible();
    await expect(east.getByText(/Error-budget gate passes/)).toBeVisible();

    await east
      .getByRole('button', { name: `Promote ${SERVICE} on cloud-east` })
      .click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Reason').fill('clinical sign-off CHG-1042 (e2e)');
    await dialog.getByRole('button', { name: 'Promote', exact: true }).click();

    await expect(
      page.getByText(`Promote sent for ${SERVICE} on cloud-east.`),
    ).toBeVisible();
    await expect(dialog).toBeHidden();
    // the controller takes the next steps; the tab follows over the stream, without a reload
    await expect(status).toHaveText(/step [2-6] of 6/, { timeout: 60_000 });
    await expect(east.getByText(/Weight: set 50 %/)).toBeVisible({
      timeout: 60_000,
    });
    await page.screenshot({
      path: 'e2e-artifacts/rollouts-promote.png',
      fullPage: true,
    });
  });
});
