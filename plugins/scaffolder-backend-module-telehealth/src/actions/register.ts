import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
} from '@careplane/plugin-clusters-common';
import { makeValidator, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { TelehealthConfig } from '../config';
import {
  LOCAL_REPO_LOCATION_TYPE,
  resolveLocalRepoCatalogInfo,
} from '../catalogModule';
import { withDefaults } from './defaults';
import {
  entityRefProblem,
  entityRefSchema,
  normalizeEntityRef,
  quote,
} from './entityRefs';
import type { z as zod } from 'zod/v3';
import { examples } from './register.examples';
import { messageOf } from './util';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const validator = makeValidator();

const inputShape = {
  name: (z: typeof zod) =>
    z
      .string()
      .refine(
        n => validator.isValidEntityName(n),
        n => ({
          message: `name must be a valid entity name (e.g. visit-notes), got ${quote(
            n,
          )}`,
        }),
      )
      .describe(
        'Name of the Component the template rendered; the file must hold exactly this one entity',
      ),
  owner: (z: typeof zod) =>
    entityRefSchema(
      z,
      'owner',
      ['group', 'user'],
      'group:default/telehealth-video',
    ).describe('Owner the template rendered into the entity (entity ref)'),
  catalogInfoUrl: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe('URL of catalog-info.yaml (publish:github / gitlab)'),
  catalogInfoPath: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe(
        'Absolute path of catalog-info.yaml on the backend host (telehealth:publish:local)',
      ),
  catalogInfoWorkspacePath: (z: typeof zod) =>
    z
      .string()
      .default('catalog-info.yaml')
      .describe(
        'Workspace path of the rendered catalog-info.yaml that was published; checked before registering by URL',
      ),
  wait: (z: typeof zod) =>
    z
      .boolean()
      .default(true)
      .describe('Wait until the entity is processed with its owner'),
};

/**
 * Why the text of a catalog-info.yaml is not exactly the one entity a template rendered: one
 * YAML document, one `Component` in the default namespace with `name` and `owner`, whose
 * Kubernetes id is its name and which has no label selector of its own. Empty when it is.
 * @public
 */
export function catalogInfoProblems(
  text: string,
  expected: { name: string; owner: string },
): string[] {
  const docs = parseAllDocuments(text);
  if (docs.length !== 1) {
    return [
      docs.length === 0
        ? 'it holds no YAML document'
        : `it holds ${docs.length} YAML documents ('---'); it must be exactly one`,
    ];
  }
  const [doc] = docs;
  if (doc.errors.length > 0) {
    return [`it is not valid YAML: ${doc.errors[0].message}`];
  }
  const entity = doc.toJS() as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: {
      name?: unknown;
      namespace?: unknown;
      annotations?: Record<string, unknown>;
    };
    spec?: { owner?: unknown };
  } | null;
  if (!entity || typeof entity !== 'object' || Array.isArray(entity)) {
    return ['it is not an entity'];
  }
  const problems: string[] = [];
  if (entity.apiVersion !== 'backstage.io/v1alpha1') {
    problems.push(
      `apiVersion is ${quote(entity.apiVersion)}, not "backstage.io/v1alpha1"`,
    );
  }
  if (entity.kind !== 'Component') {
    problems.push(`kind is ${quote(entity.kind)}, not "Component"`);
  }
  const metadata = entity.metadata ?? {};
  if (metadata.name !== expected.name) {
    problems.push(
      `metadata.name is ${quote(metadata.name)}, not ${quote(expected.name)}`,
    );
  }
  if (metadata.namespace !== undefined && metadata.namespace !== 'default') {
    problems.push(
      `metadata.namespace is ${quote(metadata.namespace)}, not "default"`,
    );
  }
  const owner = entity.spec?.owner;
  const expectedOwner = normalizeEntityRef(expected.owner, 'group');
  if (
    entityRefProblem(owner, ['group', 'user']) !== undefined ||
    normalizeEntityRef(owner as string, 'group') !== expectedOwner
  ) {
    problems.push(`spec.owner is ${quote(owner)}, not ${quote(expectedOwner)}`);
  }
  const annotations = metadata.annotations ?? {};
  const id = annotations[ANNOTATION_KUBERNETES_ID];
  if (id !== undefined && id !== expected.name) {
    problems.push(
      `the ${ANNOTATION_KUBERNETES_ID} annotation is ${quote(id)}, not ${quote(
        expected.name,
      )}`,
    );
  }
  if (annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR] !== undefined) {
    problems.push(
      `it has a ${ANNOTATION_KUBERNETES_LABEL_SELECTOR} annotation; a new service is tied to its objects by ${ANNOTATION_KUBERNETES_ID} only`,
    );
  }
  return problems;
}

/**
 * `telehealth:catalog:register`: registers the new service's catalog-info.yaml (a `url`
 * location in production, a `careplane-local-repo` location for local publishing) with the user's
 * credentials, and waits until the entity is in the catalog with its owner, so the gateway can
 * authorise writes against it. It registers exactly one entity: the file (and the catalog's dry
 * run of the location) must be the one Component the template rendered.
 * @public
 */
export function createRegisterAction(deps: {
  catalog: CatalogService;
  config: TelehealthConfig;
  pollIntervalMs?: number;
}) {
  const { catalog, config } = deps;
  const pollIntervalMs = deps.pollIntervalMs ?? 1000;
  return createTemplateAction({
    id: 'telehealth:catalog:register',
    description:
      'Registers catalog-info.yaml as a catalog location (url or, for local publishing, careplane-local-repo) as the user who runs the template, after checking that it is exactly one Component with the rendered name and owner, then waits until the entity has been processed with its owner.',
    examples,
    schema: {
      input: inputShape,
      output: {
        entityRef: z => z.string().describe('Ref of the registered component'),
        locationRef: z => z.string().describe('Ref of the new location'),
      },
    },
    async handler(ctx) {
      const input = withDefaults(inputShape, ctx.input);
      const { catalogInfoUrl, catalogInfoPath } = input;
      if (Boolean(catalogInfoUrl) === Boolean(catalogInfoPath)) {
        throw new InputError(
          'Give exactly one of catalogInfoUrl and catalogInfoPath',
        );
      }

      // The file that will be registered: on disk for local publishing; for a URL, the rendered
      // workspace file that was published (the catalog's dry run below then reads the URL itself).
      let file: string | undefined;
      if (catalogInfoPath) {
        file = resolveLocalRepoCatalogInfo(
          config.publish.localDirectory,
          catalogInfoPath,
        );
        if (!file) {
          throw new InputError(
            `catalogInfoPath ${catalogInfoPath} is not the catalog-info.yaml of a local repository under ${config.publish.localDirectory}`,
          );
        }
      } else {
        const workspace = path.resolve(ctx.workspacePath);
        file = path.resolve(workspace, input.catalogInfoWorkspacePath);
        if (!file.startsWith(workspace + path.sep)) {
          throw new InputError(
            'catalogInfoWorkspacePath must stay inside the workspace',
          );
        }
      }
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch {
        throw new InputError(`There is no catalog-info.yaml at ${file}`);
      }
      const entityRef = stringifyEntityRef({
        kind: 'Component',
        namespace: 'default',
        name: input.name,
      });
      const refusal = (why: string[]) =>
        new InputError(
          `Refusing to register ${
            catalogInfoUrl ?? file
          }: a new service registers exactly one entity, ${entityRef} owned by ${normalizeEntityRef(
            input.owner,
            'group',
          )}, but\n- ${why.join('\n- ')}`,
        );
      const problems = catalogInfoProblems(text, input);
      if (problems.length > 0) throw refusal(problems);

      const location = catalogInfoUrl
        ? { type: 'url', target: catalogInfoUrl }
        : { type: LOCAL_REPO_LOCATION_TYPE, target: catalogInfoPath! };
      const credentials = await ctx.getInitiatorCredentials();
      const registered = await ctx.checkpoint({
        key: `telehealth:catalog:register:${location.type}:${location.target}`,
        fn: async () => {
          // What the catalog itself reads from the location, before anything is registered.
          let preview;
          try {
            preview = await catalog.addLocation(
              { ...location, dryRun: true },
              { credentials },
            );
          } catch (e) {
            throw refusal([`the catalog refused it: ${messageOf(e)}`]);
          }
          const entities = preview.entities.filter(e => e.kind !== 'Location');
          const refs = entities.map(e => stringifyEntityRef(e));
          if (refs.length !== 1 || refs[0] !== entityRef) {
            throw refusal([
              `the catalog reads ${
                refs.length === 0 ? 'no entity' : refs.join(', ')
              } from it`,
            ]);
          }
          const res = await catalog.addLocation(location, { credentials });
          return {
            entityRef,
            locationRef: `${res.location.type}:${res.location.target}`,
          };
        },
      });
      if (input.wait) {
        const deadline = Date.now() + config.registerTimeoutMs;
        for (;;) {
          const e = await catalog.getEntityByRef(registered.entityRef, {
            credentials,
          });
          if (e?.relations?.some(r => r.type === 'ownedBy')) break;
          if (Date.now() >= deadline || ctx.signal?.aborted) {
            throw new NotFoundError(
              `${registered.entityRef} was registered but has not appeared in the catalog within ${config.registerTimeoutMs} ms; check the location's processing errors`,
            );
          }
          await sleep(pollIntervalMs);
        }
      }
      ctx.logger.info(`Registered ${registered.entityRef}`);
      ctx.output('entityRef', registered.entityRef);
      ctx.output('locationRef', registered.locationRef);
    },
  });
}
