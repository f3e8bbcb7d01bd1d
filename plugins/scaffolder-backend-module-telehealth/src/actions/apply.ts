import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_DATA_CLASSIFICATION,
  ANNOTATION_KUBERNETES_ID,
  KubeObject,
  LABEL_KUBERNETES_ID,
} from '@careplane/plugin-clusters-common';
import type { ClustersService } from '@careplane/plugin-clusters-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { TelehealthConfig } from '../config';
import { clusterNameOf, validateTargetClusters } from '../manifests/validate';
import { withDefaults } from './defaults';
import type { z as zod } from 'zod/v3';
import { examples } from './apply.examples';
import { catalogClusterPhi, isNotAllowed, messageOf, shortHash } from './util';

/** What happened to one object on one cluster. @public */
export type ApplyOutcome =
  | 'created'
  | 'configured'
  | 'unchanged'
  | 'would create'
  | 'would configure'
  | 'skipped';

/** One object's line in the apply summary. @public */
export interface AppliedObject {
  kind: string;
  namespace?: string;
  name: string;
  outcome: ApplyOutcome;
  auditId?: string;
}

/** Kinds of other projects that the gateway must be told about before they can be applied. */
const EXTRA_KINDS = [
  {
    kind: 'PeerAuthentication',
    group: 'security.istio.io',
    version: 'v1',
    plural: 'peerauthentications',
    namespaced: true,
    optional: true,
  },
];

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Reads every YAML document under `dir` (sorted by file name, so numbered files apply in order). */
export async function readManifests(dir: string): Promise<KubeObject[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter(f => /\.ya?ml$/.test(f)).sort();
  } catch {
    throw new InputError(
      `No manifests folder at ${dir}; run telehealth:manifests:render first`,
    );
  }
  const objects: KubeObject[] = [];
  for (const name of names) {
    const text = await fs.readFile(path.join(dir, name), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length) {
        throw new InputError(`${name}: ${doc.errors[0].message}`);
      }
      const obj = doc.toJS() as KubeObject | null;
      if (!obj) continue;
      if (!obj.apiVersion || !obj.kind || !obj.metadata?.name) {
        throw new InputError(
          `${name}: every object needs apiVersion, kind and metadata.name`,
        );
      }
      objects.push(obj);
    }
  }
  if (objects.length === 0)
    throw new InputError(`No manifests found in ${dir}`);
  return objects;
}

function markdownSummary(
  results: Array<{ cluster: string; objects: AppliedObject[] }>,
  dryRun: boolean,
): string {
  const lines = [`${dryRun ? 'Dry run: nothing was changed.' : ''}`.trim()];
  for (const r of results) {
    const counts = new Map<string, number>();
    r.objects.forEach(o =>
      counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1),
    );
    lines.push(
      `${r.cluster}: ${[...counts].map(([k, v]) => `${v} ${k}`).join(', ')}`,
    );
    for (const o of r.objects) {
      lines.push(
        `  ${o.outcome.padEnd(15)} ${o.kind} ${
          o.namespace ? `${o.namespace}/` : ''
        }${o.name}`,
      );
    }
  }
  return lines.filter(Boolean).join('\n');
}

const inputShape = {
  entityRef: (z: typeof zod) =>
    z
      .string()
      .describe(
        'The registered catalog entity the objects belong to; the gateway checks ownership against it',
      ),
  clusters: (z: typeof zod) =>
    z
      .array(z.string())
      .min(1)
      .describe(
        'Target clusters: names or resource entity refs (resource:default/cloud-east)',
      ),
  manifestsPath: (z: typeof zod) =>
    z
      .string()
      .default('manifests')
      .describe(
        'Workspace folder with the manifests (YAML, applied in file-name order)',
      ),
  dryRun: (z: typeof zod) =>
    z
      .boolean()
      .default(false)
      .describe(
        'Server-side dry run: the API servers validate, nothing is changed (still audited)',
      ),
  reason: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe(
        'Why, recorded in the audit log; defaults to the template and task that applied',
      ),
};

/**
 * `telehealth:apply`: applies the workspace's manifests to clusters through the shared gateway,
 * with the initiating user's credentials (so the gateway checks `clusters.resource.apply` on the
 * entity and audits the human), idempotently (one checkpoint per object and cluster).
 * @public
 */
export function createApplyAction(deps: {
  clusters: ClustersService;
  catalog: CatalogService;
  auth: AuthService;
  config: TelehealthConfig;
  /** Poll interval while waiting for the entity to be in the catalog (tests shorten it). */
  pollIntervalMs?: number;
}) {
  const { clusters, catalog, auth, config } = deps;
  const pollIntervalMs = deps.pollIntervalMs ?? 1000;

  /** The entity with its owner relation, waiting for the catalog to finish processing it. */
  async function waitForEntity(
    entityRef: string,
    credentials: BackstageCredentials,
    signal?: AbortSignal,
  ): Promise<Entity> {
    const deadline = Date.now() + config.registerTimeoutMs;
    for (;;) {
      const entity = await catalog.getEntityByRef(entityRef, { credentials });
      if (entity?.relations?.some(r => r.type === 'ownedBy')) return entity;
      if (Date.now() >= deadline || signal?.aborted) {
        throw new NotFoundError(
          `${entityRef} is not in the catalog (with its owner) yet; register it before applying, the gateway authorises every write against it`,
        );
      }
      await sleep(pollIntervalMs);
    }
  }

  return createTemplateAction({
    id: 'telehealth:apply',
    description:
      "Applies the workspace's Kubernetes manifests to one or more clusters through the Careplane cluster gateway, as the user who runs the template (permission-checked against the catalog entity and audited), with dry-run and a per-cluster summary. Retries apply nothing twice.",
    examples,
    supportsDryRun: true,
    schema: {
      input: inputShape,
      output: {
        results: z =>
          z
            .array(
              z.object({
                cluster: z.string().describe('Cluster name'),
                objects: z
                  .array(
                    z.object({
                      kind: z.string().describe('Object kind'),
                      namespace: z
                        .string()
                        .optional()
                        .describe('Object namespace'),
                      name: z.string().describe('Object name'),
                      outcome: z
                        .string()
                        .describe(
                          'created, configured, unchanged, would create, would configure or skipped',
                        ),
                      auditId: z
                        .string()
                        .optional()
                        .describe('Id of the gateway audit record'),
                    }),
                  )
                  .describe('One line per object'),
              }),
            )
            .describe('What was created or changed, per cluster'),
        summary: z => z.string().describe('The results as readable text'),
        auditIds: z =>
          z
            .array(z.string())
            .describe('Ids of the audit records the gateway wrote'),
      },
    },
    async handler(ctx) {
      const input = withDefaults(inputShape, ctx.input);
      const dryRun = input.dryRun || Boolean(ctx.isDryRun);
      let entityRef: string;
      try {
        entityRef = stringifyEntityRef(
          parseEntityRef(input.entityRef, { defaultKind: 'component' }),
        );
      } catch {
        throw new InputError(`Invalid entity ref '${input.entityRef}'`);
      }
      const clusterNames = [...new Set(input.clusters.map(clusterNameOf))];
      const credentials = await ctx.getInitiatorCredentials();
      const dir = path.resolve(ctx.workspacePath, input.manifestsPath);
      if (!dir.startsWith(path.resolve(ctx.workspacePath))) {
        throw new InputError('manifestsPath must stay inside the workspace');
      }
      const manifests = await readManifests(dir);

      // Everything is checked before the first write.
      const entity = await waitForEntity(entityRef, credentials, ctx.signal);
      const kubernetesId =
        entity.metadata.annotations?.[ANNOTATION_KUBERNETES_ID];
      const problems: string[] = [];
      for (const m of manifests) {
        if (
          !kubernetesId ||
          m.metadata.labels?.[LABEL_KUBERNETES_ID] !== kubernetesId
        ) {
          problems.push(
            `${m.kind} ${
              m.metadata.name
            } is not labelled ${LABEL_KUBERNETES_ID}=${
              kubernetesId ?? '(entity has no kubernetes-id)'
            }, so it does not belong to ${entityRef}.`,
          );
        }
      }
      const [known, catalogPhi] = await Promise.all([
        clusters.listClusters({ credentials }),
        catalogClusterPhi(catalog, credentials),
      ]);
      problems.push(
        ...validateTargetClusters({
          clusters: clusterNames,
          known,
          dataClassification:
            entity.metadata.annotations?.[ANNOTATION_DATA_CLASSIFICATION] ??
            'phi',
          catalogPhi,
        }),
      );
      if (problems.length > 0) {
        throw new InputError(
          `Nothing was applied:\n- ${problems.join('\n- ')}`,
        );
      }

      if (manifests.some(m => EXTRA_KINDS.some(k => k.kind === m.kind))) {
        await clusters.registerKinds(EXTRA_KINDS, {
          credentials: await auth.getOwnServiceCredentials(),
        });
      }
      const kinds = [...new Set(manifests.map(m => m.kind!))].filter(
        k => !config.skipKinds.includes(k),
      );
      // What exists already, to say "created" or "configured"; a failed read only loses that detail.
      const before = new Map<string, string | undefined>();
      try {
        const res = await clusters.getEntityObjects(
          { entityRef, kinds, clusters: clusterNames },
          { credentials },
        );
        for (const c of res.clusters) {
          for (const o of c.items) {
            before.set(
              `${c.cluster}/${o.kind}/${o.namespace ?? ''}/${o.name}`,
              o.resourceVersion,
            );
          }
        }
      } catch (e) {
        ctx.logger.warn(`Could not read existing objects: ${messageOf(e)}`);
      }

      const reason =
        input.reason ??
        `Scaffolded ${entityRef} from ${
          ctx.templateInfo?.entityRef ?? 'a software template'
        } (task ${ctx.task.id})`;
      const results: Array<{ cluster: string; objects: AppliedObject[] }> = [];
      for (const cluster of clusterNames) {
        const objects: AppliedObject[] = [];
        results.push({ cluster, objects });
        for (const manifest of manifests) {
          const { kind } = manifest as { kind: string };
          const namespace = manifest.metadata.namespace;
          const name = manifest.metadata.name;
          if (config.skipKinds.includes(kind)) {
            objects.push({ kind, namespace, name, outcome: 'skipped' });
            continue;
          }
          const key = `telehealth:apply:${
            dryRun ? 'dry-run' : 'apply'
          }:${cluster}:${kind}:${namespace ?? ''}:${name}:${shortHash(
            manifest,
          )}`;
          let written: { auditId: string; resourceVersion: string | null };
          try {
            written = await ctx.checkpoint({
              key,
              fn: async () => {
                const r = await clusters.apply(
                  { entityRef, cluster, manifest, dryRun, reason },
                  { credentials },
                );
                return {
                  auditId: r.auditId,
                  resourceVersion: r.object?.resourceVersion ?? null,
                };
              },
            });
          } catch (e) {
            const done = objects.length
              ? ` Already applied to ${cluster}: ${objects
                  .map(o => `${o.kind} ${o.name}`)
                  .join(', ')}.`
              : '';
            if (isNotAllowed(e)) {
              throw new NotAllowedError(
                `${
                  ctx.user?.ref ?? 'You'
                } may not apply ${kind} ${name} to ${cluster} for ${entityRef}: ${messageOf(
                  e,
                )}. Only owners of the entity and platform admins may.${done}`,
              );
            }
            throw new Error(
              `Applying ${kind} ${
                namespace ? `${namespace}/` : ''
              }${name} to ${cluster} failed: ${messageOf(
                e,
              )}.${done} Retrying the task continues from here.`,
            );
          }
          const prior = before.get(
            `${cluster}/${kind}/${namespace ?? ''}/${name}`,
          );
          const existed = before.has(
            `${cluster}/${kind}/${namespace ?? ''}/${name}`,
          );
          let outcome: ApplyOutcome;
          if (dryRun) outcome = existed ? 'would configure' : 'would create';
          else if (!existed) outcome = 'created';
          else
            outcome =
              prior && prior === written.resourceVersion
                ? 'unchanged'
                : 'configured';
          objects.push({
            kind,
            namespace,
            name,
            outcome,
            auditId: written.auditId,
          });
        }
        ctx.logger.info(
          `${dryRun ? 'Dry-ran' : 'Applied'} ${
            objects.length
          } objects on ${cluster}`,
        );
      }
      const summary = markdownSummary(results, dryRun);
      ctx.logger.info(summary);
      const skipped = results
        .flatMap(r => r.objects)
        .filter(o => o.outcome === 'skipped');
      if (skipped.length > 0) {
        ctx.logger.warn(
          `Not applied (scaffolder.telehealth.skipKinds): ${[
            ...new Set(skipped.map(o => o.kind)),
          ].join(', ')}`,
        );
      }
      ctx.output('results', results);
      ctx.output('summary', summary);
      ctx.output(
        'auditIds',
        results.flatMap(r =>
          r.objects.flatMap(o => (o.auditId ? [o.auditId] : [])),
        ),
      );
    },
  });
}
