import { test, expect, Page } from '@playwright/test';
import { signIn } from '@careplane/e2e-fixtures';

test('a newcomer signs in, finds the demo organisation and opens a service', async ({
  page,
}) => {
  await signIn(page);

  // The Careplane home page says what the portal offers.
  await expect(page.getByText('Welcome to Careplane')).toBeVisible();

  // The catalog lists the telehealth services of the demo organisation.
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Catalog', exact: true })
    .first()
    .click();
  // Jordan's team's services first (the catalog opens on "Owned"), then everyone's.
  const table = page.getByRole('table');
  await expect(
    table.getByRole('link', { name: 'Video consultation' }),
  ).toBeVisible();
  await expect(
    table.getByRole('link', { name: 'Patient records' }),
  ).toHaveCount(0);
  await page
    .getByRole('menuitem', { name: /^All/ })
    .or(page.getByText('All', { exact: true }))
    .first()
    .click();
  for (const service of [
    'Video consultation',
    'Patient records',
    'Scheduling',
    'E-prescribing',
    'Triage assistant',
    'Session service',
  ]) {
    await expect(
      table.getByRole('link', { name: service, exact: true }).first(),
    ).toBeVisible();
  }

  // A component page: owner, system and the PHI classification are there.
  await page.goto('/catalog/default/component/patient-records');
  await expect(
    page.getByRole('heading', { name: /Patient records/i }).first(),
  ).toBeVisible();
  const about = page.locator('main');
  await expect(
    about.getByRole('link', { name: 'Clinical Records' }).first(),
  ).toBeVisible();
  await expect(
    about.getByRole('link', { name: 'Telehealth' }).first(),
  ).toBeVisible();
  // The overview cards: what it is, and how it relates to the rest of the system.
  await expect(page.getByText('About', { exact: true }).first()).toBeVisible();
  await expect(
    page.getByText('FHIR R4 patient record store (PostgreSQL).').first(),
  ).toBeVisible();

  await page.screenshot({
    path: 'e2e-artifacts/screenshots/component-patient-records.png',
    fullPage: true,
  });
});
