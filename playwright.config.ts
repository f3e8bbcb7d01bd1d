import { defineConfig } from '@playwright/test';

/*
 * Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium), never a downloaded
 * browser. The portal is started exactly as the README says (`npm start`: simulated clusters,
 * then frontend and backend) unless one is already running on :3000 outside CI.
 * Screenshots go to e2e-artifacts/ (git-ignored).
 */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig({
  testDir: '.',
  testMatch: ['packages/*/e2e-tests/**/*.test.ts', 'plugins/*/e2e-tests/**/*.test.ts'],
  timeout: 120_000,
  expect: { timeout: 30_000 },
  // One portal, shared by every test: run them one after another.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'e2e-test-report' }]],
  webServer: {
    command: 'npm start',
    url: 'http://localhost:3000',
    // The first start compiles the frontend (about a minute on two cores).
    timeout: 300_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
  },
  use: {
    baseURL: 'http://localhost:3000',
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CAREPLANE_CHROMIUM ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  outputDir: 'e2e-artifacts/results',
});
