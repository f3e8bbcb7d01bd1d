import { test, expect } from '@playwright/test';
import { signIn } from '@careplane/e2e-fixtures';

/*
 * The main story of the Training page against the demo world (`npm start`): a platform admin
 * launches a 2-GPU run of triage-model-training on gpu-research from the sidebar's Training page;
 * the run page follows it through Kueue's admission to running (the simulator's job pods run for
 * ten seconds, so the state may already have moved on to succeeded: the timeline keeps it), and
 * shows the pod's logs.
 */

test.describe('Training page', () => {
  test('launches a 2-GPU run, follows it to running, shows its logs', async ({
    page,
  }) => {
    await signIn(page, 'Priya Shah');
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Training', exact: true })
      .first()
      .click();
    await expect(page).toHaveURL(/\/training$/);
    await expect(page.getByText('GPU quota', { exact: true })).toBeVisible();

    await page.getByRole('button', { name: 'Launch a run' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByText('Launch a training run')).toBeVisible();
    await dialog.getByRole('button', { name: /Owning entity/ }).click();
    await page.getByRole('option', { name: 'Triage model training' }).click();
    const name = `e2e-${Date.now().toString(36)}`;
    await dialog.getByLabel('Run name').fill(name);
    await dialog
      .getByLabel('Image (registry/path:tag or @sha256:digest)')
      .fill('registry.northwind-health.example/ml/triage-llm-train:2026.04.1');
    await dialog
      .getByLabel('Command (space separated)')
      .fill('torchrun train.py');
    await dialog.getByLabel('GPUs per node').fill('2');
    await dialog
      .getByLabel('Hyper-parameters (KEY=value per line, no secrets)')
      .fill('LEARNING_RATE=0.0003');
    await expect(dialog.getByLabel('Cost estimate')).toContainText(
      '2 GPUs × $3.67 an hour = $7.34 an hour',
    );
    await dialog.getByRole('button', { name: 'Launch', exact: true }).click();

    await expect(page).toHaveURL(/\/training\/runs\/[0-9a-f-]{36}$/);
    await expect(
      page.getByRole('heading', { name: new RegExp(`^${name}-[0-9a-f]{6}$`) }),
    ).toBeVisible();
    const state = page.getByLabel('State in words');
    await expect(state).toHaveText(/Queued|Starting|Running|Succeeded/);
    // running (or already done after running): the timeline has the running entry
    await expect(state).toHaveText(/Running|Succeeded/, { timeout: 60_000 });
    const timeline = page.getByRole('list', { name: 'State timeline' });
    await expect(timeline.getByText('Running', { exact: true })).toBeVisible({
      timeout: 30_000,
    });
    await expect(
      timeline.getByText(/^Submitted|^Queued/).first(),
    ).toBeVisible();

    const logs = page.getByLabel('Logs');
    await expect(logs).not.toHaveText(/^(Loading…)?$/, { timeout: 30_000 });
    await page.screenshot({
      path: 'e2e-artifacts/training-run.png',
      fullPage: true,
    });
  });
});
