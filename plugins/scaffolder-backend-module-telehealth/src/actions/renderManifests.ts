import type {
  AuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { ClustersService } from '@careplane/plugin-clusters-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { TelehealthConfig } from '../config';
import { renderManifests, sloAnnotation } from '../manifests/render';
import {
  DATA_CLASSIFICATIONS,
  ROLLOUT_STRATEGIES,
  SERVICE_KINDS,
  ServiceParameters,
} from '../manifests/types';
import {
  clusterNameOf,
  validateServiceParameters,
  validateTargetClusters,
} from '../manifests/validate';
import { withDefaults } from './defaults';
import { entityRefSchema, normalizeEntityRef, quote } from './entityRefs';
import type { z as zod } from 'zod/v3';
import { examples } from './renderManifests.examples';
import { catalogClusterPhi, ownershipProblem } from './util';

/** `name` or `name:port` of a service in its own namespace (a Kubernetes DNS label). */
const DEPENDENCY = /^[a-z]([-a-z0-9]*[a-z0-9])?(:[0-9]{1,5})?$/;

const inputShape = {
  name: (z: typeof zod) =>
    z
      .string()
      .describe(
        'Service name: the component name, the Kubernetes namespace and the backstage.io/kubernetes-id label value',
      ),
  owner: (z: typeof zod) =>
    entityRefSchema(
      z,
      'owner',
      ['group', 'user'],
      'group:default/telehealth-video',
    ).describe('Owning group entity ref, e.g. group:default/telehealth-video'),
  system: (z: typeof zod) =>
    entityRefSchema(z, 'system', ['system'], 'system:default/telehealth')
      .default('telehealth')
      .describe('System the service belongs to (entity ref)'),
  serviceKind: (z: typeof zod) =>
    z.enum(SERVICE_KINDS).default('other').describe('What the service does'),
  dataClassification: (z: typeof zod) =>
    z
      .enum(DATA_CLASSIFICATIONS)
      .describe(
        'phi if the service stores or processes PHI, else internal or public',
      ),
  clusters: (z: typeof zod) =>
    z
      .array(z.string())
      .default([])
      .describe(
        'Target clusters (names or resource entity refs). When given, they are checked: known to the gateway, approved for PHI if the service is PHI, Argo Rollouts installed for canary / blue-green',
      ),
  strategy: (z: typeof zod) =>
    z
      .enum(ROLLOUT_STRATEGIES)
      .default('rolling')
      .describe('rolling: a Deployment; canary or blue-green: an Argo Rollout'),
  canaryWeights: (z: typeof zod) =>
    z
      .array(z.number().int())
      .default([20, 50])
      .describe(
        'Canary traffic weights in percent; the first step pauses for a person, later ones for 10 minutes',
      ),
  sloAvailability: (z: typeof zod) =>
    z.number().default(99.9).describe('Availability objective in percent'),
  sloLatencyP99Ms: (z: typeof zod) =>
    z
      .number()
      .int()
      .optional()
      .describe('p99 latency objective in milliseconds'),
  minReplicas: (z: typeof zod) =>
    z.number().int().default(2).describe('Minimum replicas (HPA minimum)'),
  maxReplicas: (z: typeof zod) =>
    z.number().int().default(6).describe('Maximum replicas (HPA maximum)'),
  pdbMinAvailable: (z: typeof zod) =>
    z
      .number()
      .int()
      .default(1)
      .describe('PodDisruptionBudget minAvailable; must be below minReplicas'),
  port: (z: typeof zod) =>
    z
      .number()
      .int()
      .default(8080)
      .describe('Container port of the HTTP server'),
  image: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe(
        'Container image; defaults to the platform starter image pinned by digest (PHI services need a digest)',
      ),
  cpuRequest: (z: typeof zod) =>
    z.string().default('100m').describe('CPU request per pod'),
  memoryRequest: (z: typeof zod) =>
    z.string().default('128Mi').describe('Memory request per pod'),
  cpuLimit: (z: typeof zod) =>
    z.string().default('500m').describe('CPU limit per pod'),
  memoryLimit: (z: typeof zod) =>
    z.string().default('256Mi').describe('Memory limit per pod'),
  dependencies: (z: typeof zod) =>
    z
      .array(
        z.string().refine(
          d => DEPENDENCY.test(d),
          d => ({
            message: `dependencies: ${quote(
              d,
            )} is not a service name or name:port (e.g. patient-records:8080); it becomes the component ref in spec.dependsOn`,
          }),
        ),
      )
      .default([])
      .describe(
        "Services this one calls ('name' or 'name:port'); each gets an egress allow to its namespace",
      ),
  namespace: (z: typeof zod) =>
    z.string().optional().describe('Namespace; defaults to the service name'),
  scope: (z: typeof zod) =>
    z
      .enum(['service', 'namespace'])
      .default('service')
      .describe(
        'service: everything; namespace: only the namespace guard rails (onboarding an existing service)',
      ),
  targetPath: (z: typeof zod) =>
    z
      .string()
      .default('manifests')
      .describe('Workspace folder the manifests are written to'),
};

/**
 * `telehealth:manifests:render`: validates the parameters (names, replicas, clusters, PHI,
 * ownership) and renders the service's Kubernetes manifests with Careplane's healthcare defaults
 * into the workspace.
 * @public
 */
export function createRenderManifestsAction(deps: {
  clusters: ClustersService;
  catalog: CatalogService;
  permissions: PermissionsService;
  auth: AuthService;
  config: TelehealthConfig;
}) {
  const { clusters, catalog, permissions, auth, config } = deps;
  return createTemplateAction({
    id: 'telehealth:manifests:render',
    description:
      'Validates the parameters of a telehealth service and renders its Kubernetes manifests with HIPAA defaults (restricted Pod Security namespace, quota, limit range, default-deny network policies, non-root read-only pods with probes, HPA, PDB, mesh mTLS) into the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: inputShape,
      output: {
        manifests: z =>
          z
            .array(z.record(z.string(), z.any()))
            .describe('The rendered Kubernetes objects, in apply order'),
        files: z =>
          z
            .array(z.string())
            .describe('Workspace paths of the written manifest files'),
        namespace: z => z.string().describe('The namespace of the service'),
        owner: z =>
          z
            .string()
            .describe(
              'The owner as a full entity ref (group:default/…), for catalog-info.yaml and register',
            ),
        system: z =>
          z
            .string()
            .describe('The system as a full entity ref (system:default/…)'),
        kubernetesId: z =>
          z.string().describe('Value of the backstage.io/kubernetes-id label'),
        workloadKind: z =>
          z
            .string()
            .describe('Deployment or Rollout (none for scope namespace)'),
        slo: z =>
          z.string().describe('Value for the careplane.io/slo annotation'),
        clusters: z =>
          z
            .array(z.string())
            .describe('Target cluster names, normalised from the input'),
        dependsOn: z =>
          z
            .array(z.string())
            .describe(
              'Component refs of the dependencies, for spec.dependsOn in catalog-info.yaml',
            ),
      },
    },
    async handler(ctx) {
      const input = withDefaults(inputShape, ctx.input);
      const params: ServiceParameters = {
        name: input.name,
        namespace: input.namespace || input.name,
        owner: normalizeEntityRef(input.owner, 'group'),
        system: normalizeEntityRef(input.system, 'system'),
        serviceKind: input.serviceKind,
        dataClassification: input.dataClassification,
        strategy: input.strategy,
        canaryWeights: input.canaryWeights,
        sloAvailability: input.sloAvailability,
        sloLatencyP99Ms: input.sloLatencyP99Ms,
        minReplicas: input.minReplicas,
        maxReplicas: input.maxReplicas,
        pdbMinAvailable: input.pdbMinAvailable,
        port: input.port,
        image: input.image || config.starterImage,
        cpuRequest: input.cpuRequest,
        memoryRequest: input.memoryRequest,
        cpuLimit: input.cpuLimit,
        memoryLimit: input.memoryLimit,
        dependencies: input.dependencies,
        scope: input.scope,
      };
      const problems = validateServiceParameters(params);
      const clusterNames = input.clusters.map(clusterNameOf);

      const credentials = await ctx.getInitiatorCredentials();
      if (clusterNames.length > 0) {
        const [known, catalogPhi] = await Promise.all([
          clusters.listClusters({ credentials }),
          catalogClusterPhi(catalog, credentials),
        ]);
        const clusterProblems = validateTargetClusters({
          clusters: clusterNames,
          known,
          dataClassification: params.dataClassification,
          catalogPhi,
        });
        problems.push(...clusterProblems);
        if (
          clusterProblems.length === 0 &&
          params.scope === 'service' &&
          params.strategy !== 'rolling'
        ) {
          // A read with the module's own credentials: raw selector queries are for backends.
          const res = await clusters.getObjects(
            {
              selector: {
                labelSelector: `backstage.io/kubernetes-id=${params.name}`,
              },
              kinds: ['Rollout'],
              clusters: clusterNames,
            },
            { credentials: await auth.getOwnServiceCredentials() },
          );
          for (const c of res.clusters) {
            if (c.status === 'not-installed') {
              problems.push(
                `Argo Rollouts is not installed on cluster '${c.cluster}', so a ${params.strategy} rollout cannot run there; choose 'rolling' or another cluster.`,
              );
            }
          }
        }
      }
      if (params.scope === 'service') {
        const ownerProblem = await ownershipProblem(
          permissions,
          credentials,
          params.owner,
          ctx.user?.ref,
        );
        if (ownerProblem) problems.push(ownerProblem);
      }
      if (problems.length > 0) {
        throw new InputError(
          `The telehealth service parameters are not valid:\n- ${problems.join(
            '\n- ',
          )}`,
        );
      }

      const rendered = renderManifests(params, config, input.targetPath);
      // Writing into the task's own workspace is not checkpointed on purpose: a retried task may
      // get a fresh workspace, and the rendering is deterministic, so writing again is correct.
      for (const m of rendered) {
        const file = path.resolve(ctx.workspacePath, m.path);
        if (!file.startsWith(path.resolve(ctx.workspacePath) + path.sep)) {
          throw new InputError(`targetPath must stay inside the workspace`);
        }
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.writeFile(file, stringify(m.object, { lineWidth: 0 }), 'utf8');
      }
      const workload = rendered.find(
        m => m.object.kind === 'Deployment' || m.object.kind === 'Rollout',
      );
      ctx.logger.info(
        `Rendered ${rendered.length} manifests for ${params.name} into ${input.targetPath}/`,
      );
      ctx.output('manifests', rendered.map(m => m.object) as any);
      ctx.output(
        'files',
        rendered.map(m => m.path),
      );
      ctx.output('namespace', params.namespace);
      ctx.output('owner', params.owner);
      ctx.output('system', params.system);
      ctx.output('kubernetesId', params.name);
      ctx.output('workloadKind', workload?.object.kind ?? 'none');
      ctx.output('slo', sloAnnotation(params));
      ctx.output('clusters', clusterNames);
      ctx.output(
        'dependsOn',
        params.dependencies.map(d => `component:default/${d.split(':')[0]}`),
      );
    },
  });
}
