import { test, expect, Page, APIRequestContext } from '@playwright/test';
import { signIn } from '@careplane/e2e-fixtures';

/*
 * The entity Workloads tab against the simulated clusters of the demo scenario (`npm start`):
 * video-consultation runs on legacy-onprem (Deployment) and cloud-east (Argo Rollout). The test
 * changes the clusters through the simulator's control API and watches the page follow without
 * a reload.
 */

const SIM = 'http://127.0.0.1:16440/_sim';
const SERVICE = 'video-consultation';

async function sim(
  request: APIRequestContext,
  method: 'get' | 'post' | 'put' | 'delete',
  path: string,
  data?: unknown,
) {
  const res = await request[method](
    `${SIM}${path}`,
    data ? { data } : undefined,
  );
  expect(res.ok(), `${method.toUpperCase()} ${path}: ${await res.text()}`).toBe(
    true,
  );
  return res.json();
}

const clusterSection = (page: Page, cluster: string) =>
  page.getByRole('region', { name: cluster, exact: true });

test.describe('entity Workloads tab', () => {
  const extraPod = `${SERVICE}-e2e-${Date.now().toString(36)}`;

  test.afterEach(async ({ request }) => {
    // leave the shared simulator as the demo scenario has it
    await request.delete(`${SIM}/clusters/legacy-onprem/faults`);
    await request.post(`${SIM}/clusters/legacy-onprem/mutate`, {
      data: {
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: SERVICE,
        name: extraPod,
        delete: true,
      },
    });
  });

  test('shows a service on both of its clusters and follows a pod becoming Ready without reload', async ({
    page,
    request,
  }) => {
    await signIn(page);
    await page.goto(`/catalog/default/component/${SERVICE}`);
    await page
      .getByRole('tab', { name: 'Workloads', exact: true })
      .or(page.getByRole('link', { name: 'Workloads', exact: true }))
      .first()
      .click();
    await expect(page).toHaveURL(new RegExp(`/component/${SERVICE}/workloads`));

    // pods on both clusters, each cluster with its own freshness
    const legacy = clusterSection(page, 'legacy-onprem');
    const east = clusterSection(page, 'cloud-east');
    await expect(
      legacy.getByRole('table', { name: 'Pods on legacy-onprem' }),
    ).toBeVisible();
    await expect(
      east.getByRole('table', { name: 'Pods on cloud-east' }),
    ).toBeVisible();
    await expect(legacy.getByText('live', { exact: true })).toBeVisible();
    await expect(east.getByText('live', { exact: true })).toBeVisible();
    await expect(
      legacy.getByRole('row', { name: /Deployment video-consultation/ }),
    ).toBeVisible();
    await expect(
      east.getByRole('row', { name: /Rollout video-consultation/ }),
    ).toBeVisible();
    await expect(page.getByText('Live updates on')).toBeVisible();

    // a marker that a reload would wipe
    await page.evaluate(() => {
      (window as any).__careplaneNoReload = true;
    });

    // a new pod on legacy-onprem that takes a while to become ready
    await sim(request, 'post', '/clusters/legacy-onprem/objects', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: extraPod,
        namespace: SERVICE,
        labels: { 'backstage.io/kubernetes-id': SERVICE, app: SERVICE },
        annotations: { 'sim.careplane.io/ready-after-seconds': '12' },
      },
      spec: {
        containers: [
          {
            name: SERVICE,
            image: 'registry.northwind-health.example/video-consultation:2.3.1',
          },
        ],
      },
    });

    const row = page.getByTestId(`pod-legacy-onprem-${extraPod}`);
    await expect(row).toBeVisible();
    await expect(row.getByText(/^(Pending|Not ready)$/)).toBeVisible();

    // open its drawer: it must stay open while the pod changes
    await row
      .getByRole('button', {
        name: `Details of pod ${extraPod} on legacy-onprem`,
      })
      .click();
    const drawer = page.getByRole('dialog', { name: `Pod ${extraPod}` });
    await expect(drawer).toBeVisible();

    await expect(row.getByText('Ready', { exact: true })).toBeVisible({
      timeout: 60_000,
    });
    await expect(row.getByText('1/1')).toBeVisible();
    await expect(drawer).toBeVisible();
    await expect(drawer.getByText('1/1 containers')).toBeVisible();
    expect(await page.evaluate(() => (window as any).__careplaneNoReload)).toBe(
      true,
    );

    await drawer.getByRole('button', { name: 'Close pod details' }).click();
    await expect(drawer).toBeHidden();
    await page.screenshot({
      path: 'e2e-artifacts/screenshots/workloads-video-consultation.png',
      fullPage: true,
    });

    // legacy-onprem goes down: its section says so, cloud-east keeps working
    await sim(request, 'put', '/clusters/legacy-onprem/faults', { down: true });
    await expect(
      legacy.getByText(/cluster legacy-onprem unreachable/).first(),
    ).toBeVisible({ timeout: 60_000 });
    await expect(
      east.getByRole('table', { name: 'Pods on cloud-east' }),
    ).toBeVisible();
    await expect(east.getByText('live', { exact: true })).toBeVisible();
    expect(await page.evaluate(() => (window as any).__careplaneNoReload)).toBe(
      true,
    );
    await page.screenshot({
      path: 'e2e-artifacts/screenshots/workloads-video-consultation-legacy-down.png',
      fullPage: true,
    });
  });
});
