import { test, expect, Page } from '@playwright/test';

/** Signs in with the development guest provider (the demo user jordan.lee). */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(
    page.getByRole('navigation', { name: 'sidebar nav' }),
  ).toBeVisible();
}

test('a newcomer signs in, finds the demo organisation and opens a service', async ({
  page,
}) => {
  await signInAsGuest(page);

  // The Careplane home page says what the portal offers.
  await expect(page.getByText('Welcome to Careplane')).toBeVisible();

  // The catalog lists the telehealth services of the demo organisation.
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Catalog', exact: true })
    .click();
  const table = page.getByRole('table');
  for (const service of [
    'video-consultation',
    'patient-records',
    'scheduling',
    'e-prescribing',
  ]) {
    await expect(table.getByRole('link', { name: service, exact: true }).or(
      table.getByRole('link', { name: new RegExp(service.replace('-', '.'), 'i') }),
    ).first()).toBeVisible();
  }

  // A component page: owner, system and the PHI classification are there.
  await page.goto('/catalog/default/component/patient-records');
  await expect(
    page.getByRole('heading', { name: /Patient records/i }).first(),
  ).toBeVisible();
  await expect(page.getByText('clinical-records').first()).toBeVisible();
  await expect(page.getByText('telehealth').first()).toBeVisible();

  await page.screenshot({
    path: 'e2e-artifacts/screenshots/component-patient-records.png',
    fullPage: true,
  });
});
