import type { PermissionsService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ClusterWorkloads,
  clustersResourceReadPermission,
} from '@careplane/plugin-clusters-common';
import type { ClusterGateway } from '../services/ClusterGateway/ClusterGateway';
import { authorizeAction } from './authorize';

/** Why a cluster's answer is not `ok`, in one sentence; undefined when it is. */
function reasonOf(c: ClusterWorkloads): string | undefined {
  if (c.status === 'ok') return undefined;
  const errors = [c.error, ...c.kinds.map(k => k.error)]
    .filter(e => e?.message)
    .map(e => e!.message);
  if (errors.length > 0) return [...new Set(errors)].join('; ');
  if (c.status === 'stale') {
    return c.syncedAt
      ? `The cache has not been in sync with the cluster since ${c.syncedAt}`
      : 'The cache is not in sync with the cluster';
  }
  if (c.status === 'not-installed') {
    return 'The workload kinds are not served by this cluster';
  }
  if (c.status === 'syncing') {
    return 'The first sync of some workload kinds is still under way';
  }
  return 'The cluster did not answer';
}

/**
 * Registers `clusters:get-entity-workloads`: an entity's deployments and pods per cluster, as
 * summaries only (counts, phases, restarts; never specs, env values or secrets). Checked with
 * the caller's `clusters.resource.read` on the entity, as
 * `GET /v1/entities/:kind/:namespace/:name/workloads`.
 * @internal
 */
export function createGetEntityWorkloadsAction(options: {
  actionsRegistry: ActionsRegistryService;
  gateway: ClusterGateway;
  permissions: PermissionsService;
}) {
  const { actionsRegistry, gateway, permissions } = options;
  actionsRegistry.register({
    name: 'get-entity-workloads',
    title: 'Get the Kubernetes workloads of a catalog entity',
    description:
      'For a catalog entity (e.g. component:default/video-consultation), returns per cluster whether the data is ok, stale or unavailable (with the reason), its deployments with ready/desired replicas and its pods with phase, readiness and restarts.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'The entity ref, e.g. component:default/video-consultation',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string().describe('The entity ref, normalised'),
          clusters: z
            .array(
              z.object({
                cluster: z.string().describe('The cluster name'),
                status: z
                  .enum([
                    'ok',
                    'stale',
                    'unavailable',
                    'not-installed',
                    'syncing',
                  ])
                  .describe('Freshness of this cluster’s data'),
                reason: z
                  .string()
                  .optional()
                  .describe('Why the status is not ok'),
                deployments: z
                  .array(
                    z.object({
                      namespace: z.string().optional().describe('Namespace'),
                      name: z.string().describe('Deployment name'),
                      ready: z.number().describe('Ready replicas'),
                      desired: z.number().describe('Desired replicas'),
                    }),
                  )
                  .describe('Deployments with their replica counts'),
                pods: z
                  .array(
                    z.object({
                      namespace: z.string().optional().describe('Namespace'),
                      name: z.string().describe('Pod name'),
                      phase: z.string().describe('Pod phase, e.g. Running'),
                      ready: z.boolean().describe('Whether the pod is ready'),
                      restarts: z
                        .number()
                        .describe('Sum of container restart counts'),
                      reasons: z
                        .array(z.string())
                        .describe('Why it is not fine, e.g. CrashLoopBackOff'),
                    }),
                  )
                  .describe('Pods with phase, readiness and restarts'),
              }),
            )
            .describe('One entry per cluster'),
        }),
    },
    action: async ({ input, credentials }) => {
      let entityRef: string;
      try {
        entityRef = stringifyEntityRef(parseEntityRef(input.entityRef));
      } catch {
        throw new InputError(
          `Invalid entity ref '${input.entityRef}'; expected kind:namespace/name`,
        );
      }
      await authorizeAction(
        permissions,
        credentials,
        clustersResourceReadPermission,
        entityRef,
      );
      const answer = await gateway.entityWorkloads(entityRef, { credentials });
      return {
        output: {
          entityRef: answer.entityRef,
          clusters: answer.clusters.map(c => ({
            cluster: c.cluster,
            status: c.status,
            reason: reasonOf(c),
            deployments: c.deployments.map(d => ({
              namespace: d.namespace,
              name: d.name,
              ready: d.replicas.ready,
              desired: d.replicas.desired,
            })),
            pods: c.pods.map(p => ({
              namespace: p.namespace,
              name: p.name,
              phase: p.summary.phase,
              ready: p.summary.ready,
              restarts: p.summary.restarts,
              reasons: p.summary.reasons,
            })),
          })),
        },
      };
    },
  });
}
