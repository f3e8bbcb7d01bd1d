import { test, expect, Page } from '@playwright/test';
import { signIn } from '@careplane/e2e-fixtures';

/*
 * The telehealth-service template end to end in the dev portal (`npm start`: simulated clusters,
 * local publishing): fill the form as the guest (jordan.lee, team telehealth-video), run it, land
 * on the new component and see its pods on cloud-east.
 */

/** Picks an option of a MUI autocomplete field by typing part of it. */
async function pick(
  page: Page,
  label: string | RegExp,
  text: string,
  option: RegExp,
) {
  const input = page.getByLabel(label).first();
  await input.click();
  await input.fill(text);
  await page
    .getByRole('option', { name: option })
    .first()
    .click({ timeout: 30_000 });
}

test('creates a telehealth service, lands on it and shows its pods', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const name = `th-e2e-${Date.now().toString(36)}`;

  await signIn(page);
  await page.goto('/create/templates/default/telehealth-service');

  // Service
  await page.getByLabel('Name').first().fill(name);
  await page
    .getByLabel('Description')
    .first()
    .fill('Browser-test telehealth service');
  await pick(page, 'Owner', 'telehealth', /telehealth.video/i);
  await page.getByRole('button', { name: 'Next' }).click();

  // Data and clusters: PHI is the default, so only PHI clusters are offered
  await pick(page, 'Target clusters', 'cloud', /cloud.east/i);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Next' }).click();

  // Rollout and capacity: the defaults (rolling, 99.9, 2..6)
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  const open = page.getByRole('link', { name: 'Open in catalog' });
  await expect(open).toBeVisible({ timeout: 180_000 });
  await page.screenshot({
    path: 'e2e-artifacts/screenshots/telehealth-service-task.png',
    fullPage: true,
  });
  await open.click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${name}`),
  );
  await expect(page.getByRole('heading', { name }).first()).toBeVisible();

  const workloadsTab = page
    .getByRole('tab', { name: 'Workloads', exact: true })
    .or(page.getByRole('link', { name: 'Workloads', exact: true }))
    .first();
  await expect(workloadsTab).toBeVisible();
  await workloadsTab.click();
  // Two replicas of the new Deployment on cloud-east, Running in the simulator
  await expect(
    page.getByText(new RegExp(`${name}-[a-z0-9]+-[a-z0-9]+`)).first(),
  ).toBeVisible({
    timeout: 60_000,
  });
  await page.screenshot({
    path: 'e2e-artifacts/screenshots/telehealth-service-workloads.png',
    fullPage: true,
  });
});
