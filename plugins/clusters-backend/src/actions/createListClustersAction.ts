import type { PermissionsService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { ClusterInfo } from '@careplane/plugin-clusters-common';
import type { ClusterGateway } from '../services/ClusterGateway/ClusterGateway';

/** Health of a cluster in words, for a reader that does not know the status codes. */
export function describeHealth(info: ClusterInfo): string {
  const { status, circuit, error } = info.health;
  const words: Record<string, string> = {
    healthy: 'Healthy: the API server answers.',
    degraded: 'Degraded: the API server answers slowly or some requests fail.',
    unavailable: 'Unavailable: the API server does not answer.',
    unknown: 'Unknown: the cluster has not been contacted yet.',
  };
  let text = words[status] ?? status;
  if (circuit === 'open') text += ' Calls fail fast until a probe succeeds.';
  if (error?.message) text += ` Last error: ${error.message}`;
  return text;
}

/**
 * Registers `clusters:list-clusters`: every cluster with its labels, health and version.
 * Checked with the caller's `clusters.cluster.read`, as `GET /v1/clusters`.
 * @internal
 */
export function createListClustersAction(options: {
  actionsRegistry: ActionsRegistryService;
  gateway: ClusterGateway;
  permissions: PermissionsService;
}) {
  const { actionsRegistry, gateway } = options;
  actionsRegistry.register({
    name: 'list-clusters',
    title: 'List Kubernetes clusters',
    description:
      'Lists the Kubernetes clusters Careplane knows, with environment, region, whether they hold PHI, health (in words), Kubernetes version and when they last answered.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({}),
      output: z =>
        z.object({
          clusters: z
            .array(
              z.object({
                name: z.string().describe('The cluster name'),
                title: z.string().optional().describe('Display title'),
                environment: z
                  .string()
                  .optional()
                  .describe('The environment label, e.g. production'),
                region: z.string().optional().describe('The region label'),
                phi: z
                  .boolean()
                  .describe('Whether the cluster holds protected health data'),
                health: z
                  .enum(['healthy', 'degraded', 'unavailable', 'unknown'])
                  .describe('Health status of the connection'),
                healthDescription: z
                  .string()
                  .describe('The health status in words, with the last error'),
                kubernetesVersion: z
                  .string()
                  .optional()
                  .describe('API server version from the last probe'),
                lastContactAt: z
                  .string()
                  .optional()
                  .describe('When the API server last answered (ISO 8601)'),
              }),
            )
            .describe('Every cluster'),
        }),
    },
    action: async ({ credentials }) => {
      // the gateway checks clusters.cluster.read with the caller's credentials
      const clusters = await gateway.listClusters({ credentials });
      return {
        output: {
          clusters: clusters.map(c => ({
            name: c.name,
            title: c.title,
            environment: c.environment,
            region: c.region,
            phi: c.phi,
            health: c.health.status,
            healthDescription: describeHealth(c),
            kubernetesVersion: c.version?.gitVersion,
            lastContactAt: c.health.lastContactAt,
          })),
        },
      };
    },
  });
}
