import { expect, Page } from '@playwright/test';

/**
 * Shared steps of the browser tests (Playwright). One copy, imported by every package's
 * e2e-tests/*.test.ts, so that a change of the sign-in page is made once.
 */

/** The development personas of the sign-in page (packages/app/src/modules/signIn/personas.ts). */
export type Persona = 'Jordan Lee' | 'Priya Shah';

/** The dev backend (app-config.yaml `backend.baseUrl`). */
const BACKEND = 'http://localhost:7007';

/**
 * Waits until every plugin of the backend has started (Backstage's readiness endpoint): the
 * frontend dev server answers first, and a sign-in before the backend listens fails to fetch.
 */
export async function backendReady(page: Page, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await page.request
      .get(`${BACKEND}/.backstage/health/v1/readiness`)
      .catch(() => undefined);
    if (res?.ok()) return;
    if (Date.now() > deadline) {
      throw new Error(
        `The backend at ${BACKEND} was not ready after ${timeoutMs / 1000} s`,
      );
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

/**
 * Signs in as a development persona: Jordan Lee (service engineer in telehealth-video, the
 * default) or Priya Shah (platform admin), and waits for the sidebar.
 */
export async function signIn(page: Page, persona: Persona = 'Jordan Lee') {
  await backendReady(page);
  await page.goto('/');
  const button = page.getByRole('button', { name: `Sign in as ${persona}` });
  await expect(button).toBeVisible();
  await button.click();
  // the nav element itself reports hidden (zero-size wrapper); its links do not
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true })
      .first(),
  ).toBeVisible();
}
