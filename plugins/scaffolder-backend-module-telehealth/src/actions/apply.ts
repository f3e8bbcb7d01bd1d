import type { BackstageCredentials } from '@backstage/backend-plugin-api';
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
  ANNOTATION_KUBERNETES_NAMESPACE,
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
import { entityRefSchema } from './entityRefs';
import type { z as zod } from 'zod/v3';
import { examples } from './apply.examples';
import {
  catalogClusterPhi,
  isConflict,
  isNotAllowed,
  messageOf,
  shortHash,
} from './util';

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
  /** Why the outcome is what it is, when that is not obvious (e.g. the namespace existed). */
  message?: string;
}

/**
 * Label and annotation keys of the rendered Namespace that are passed to `createNamespace`: the
 * mesh enrolment, which is what the gateway lets a service owner set by default. The gateway
 * sets the id label, Pod Security labels and data classification itself, and refuses (400) any
 * key outside `clusters.writeScope.newNamespace.allowed*`, so only these are sent.
 */
const NEW_NAMESPACE_LABEL_KEYS = ['istio-injection', 'istio.io/rev'];
const NEW_NAMESPACE_ANNOTATION_KEYS = [
  'linkerd.io/inject',
  'config.linkerd.io/default-inbound-policy',
];

/** Kinds created once, with the namespace; later changes are for platform admins. */
const NAMESPACE_POLICY_KINDS = ['ResourceQuota', 'LimitRange'];

const NAMESPACE_EXISTS =
  'namespace exists; quotas and limit ranges are changed by platform admins';

function pick(
  values: Record<string, string> | undefined,
  keys: string[],
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values ?? {}).filter(([k]) => keys.includes(k)),
  );
}

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
        }${o.name}${o.message ? ` (${o.message})` : ''}`,
      );
    }
  }
  return lines.filter(Boolean).join('\n');
}

const inputShape = {
  entityRef: (z: typeof zod) =>
    entityRefSchema(
      z,
      'entityRef',
      ['component'],
      'component:default/visit-notes',
    ).describe(
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
 * entity and audits the human), idempotently (one checkpoint per object and cluster). The
 * Namespace, ResourceQuota and LimitRange go through the gateway's narrow `createNamespace` call
 * (one per cluster): a new namespace gets them once; an existing one is left to platform admins.
 * @public
 */
export function createApplyAction(deps: {
  clusters: ClustersService;
  catalog: CatalogService;
  config: TelehealthConfig;
  /** Poll interval while waiting for the entity to be in the catalog (tests shorten it). */
  pollIntervalMs?: number;
}) {
  const { clusters, catalog, config } = deps;
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
                      message: z
                        .string()
                        .optional()
                        .describe(
                          'Why, when the outcome needs it (e.g. the namespace existed)',
                        ),
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
      // The gateway names a new namespace after the entity, and creates the quota and limit range
      // in it; the rendered objects must say the same.
      const entityNamespace =
        entity.metadata.annotations?.[ANNOTATION_KUBERNETES_NAMESPACE] ||
        kubernetesId;
      const namespaces = manifests.filter(m => m.kind === 'Namespace');
      if (namespaces.length > 1) {
        problems.push(
          `There are ${namespaces.length} Namespace objects; a service has one namespace.`,
        );
      }
      if (namespaces.length > 0) {
        for (const m of manifests.filter(
          o =>
            o.kind === 'Namespace' || NAMESPACE_POLICY_KINDS.includes(o.kind!),
        )) {
          const ns =
            m.kind === 'Namespace' ? m.metadata.name : m.metadata.namespace;
          if (ns !== entityNamespace) {
            problems.push(
              `${m.kind} ${m.metadata.name} is for namespace '${ns}', but the namespace of ${entityRef} is '${entityNamespace}'.`,
            );
          }
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
      const namespaceManifest = config.skipKinds.includes('Namespace')
        ? undefined
        : manifests.find(m => m.kind === 'Namespace');
      const policies = namespaceManifest
        ? manifests.filter(
            m =>
              NAMESPACE_POLICY_KINDS.includes(m.kind!) &&
              !config.skipKinds.includes(m.kind!),
          )
        : [];
      const alreadyDone = (cluster: string, objects: AppliedObject[]) =>
        objects.length
          ? ` Already applied to ${cluster}: ${objects
              .map(o => `${o.kind} ${o.name}`)
              .join(', ')}.`
          : '';

      /**
       * The namespace with its quota and limit range, in one `createNamespace` call. A 409 means
       * the namespace exists: it is left as it is, and so are its quotas and limit ranges.
       */
      async function createNamespace(
        cluster: string,
        manifest: KubeObject,
        objects: AppliedObject[],
      ): Promise<AppliedObject[]> {
        const name = manifest.metadata.name;
        const labels = pick(manifest.metadata.labels, NEW_NAMESPACE_LABEL_KEYS);
        const annotations = pick(
          manifest.metadata.annotations,
          NEW_NAMESPACE_ANNOTATION_KEYS,
        );
        const key = `telehealth:apply:${
          dryRun ? 'dry-run' : 'apply'
        }:${cluster}:create-namespace:${name}:${shortHash({
          labels,
          annotations,
          policies,
        })}`;
        let created: { exists: boolean; auditId: string | null };
        try {
          created = await ctx.checkpoint({
            key,
            fn: async () => {
              try {
                const r = await clusters.createNamespace(
                  {
                    entityRef,
                    cluster,
                    labels,
                    annotations,
                    policies,
                    dryRun,
                    reason,
                  },
                  { credentials },
                );
                return { exists: false, auditId: r.auditId };
              } catch (e) {
                if (isConflict(e)) return { exists: true, auditId: null };
                throw e;
              }
            },
          });
        } catch (e) {
          const what = [
            `Namespace ${name}`,
            ...policies.map(p => `${p.kind} ${p.metadata.name}`),
          ].join(', ');
          if (isNotAllowed(e)) {
            throw new NotAllowedError(
              `${
                ctx.user?.ref ?? 'You'
              } may not create ${what} on ${cluster} for ${entityRef}: ${messageOf(
                e,
              )}. Only owners of the entity and platform admins may.${alreadyDone(
                cluster,
                objects,
              )}`,
            );
          }
          throw new Error(
            `Creating ${what} on ${cluster} failed: ${messageOf(
              e,
            )}.${alreadyDone(
              cluster,
              objects,
            )} Retrying the task continues from here.`,
          );
        }
        if (created.exists) {
          ctx.logger.info(
            `Namespace ${name} exists on ${cluster}; its quotas and limit ranges are left to platform admins`,
          );
          return [
            {
              kind: 'Namespace',
              name,
              outcome: 'unchanged',
              message: NAMESPACE_EXISTS,
            },
            ...policies.map(
              (p): AppliedObject => ({
                kind: p.kind!,
                namespace: p.metadata.namespace,
                name: p.metadata.name,
                outcome: 'skipped',
                message: NAMESPACE_EXISTS,
              }),
            ),
          ];
        }
        const outcome: ApplyOutcome = dryRun ? 'would create' : 'created';
        const auditId = created.auditId ?? undefined;
        return [
          { kind: 'Namespace', name, outcome, auditId },
          ...policies.map(
            (p): AppliedObject => ({
              kind: p.kind!,
              namespace: p.metadata.namespace,
              name: p.metadata.name,
              outcome,
              auditId,
            }),
          ),
        ];
      }

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
          if (manifest === namespaceManifest) {
            objects.push(
              ...(await createNamespace(cluster, manifest, objects)),
            );
            continue;
          }
          // Created with the namespace (or left to admins when it existed).
          if (policies.includes(manifest)) continue;
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
            const done = alreadyDone(cluster, objects);
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
        .filter(o => o.outcome === 'skipped' && !o.message);
      if (skipped.length > 0) {
        ctx.logger.warn(
          `Not applied (scaffolder.telehealth.skipKinds): ${[
            ...new Set(skipped.map(o => o.kind)),
          ].join(', ')}`,
        );
      }
      ctx.output('results', results);
      ctx.output('summary', summary);
      // A namespace and its policies share the audit record of their one call.
      ctx.output('auditIds', [
        ...new Set(
          results.flatMap(r =>
            r.objects.flatMap(o => (o.auditId ? [o.auditId] : [])),
          ),
        ),
      ]);
    },
  });
}
