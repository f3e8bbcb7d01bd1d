import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { catalogInfoProblems } from '@careplane/plugin-scaffolder-backend-module-telehealth';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/*
 * Injected template values, through the scaffolder's own engine: the telehealth-service
 * template's `fetch` step (fetch:template, the same nunjucks-compatible renderer the portal runs)
 * renders the real skeleton with hostile values, and catalog-info.yaml stays exactly one
 * document with every value intact as a string. (The module's own test,
 * src/actions/injection.test.ts, checks the skeleton's expressions; this one runs the engine.)
 */
const template = path.resolve(
  __dirname,
  '../../../catalog/templates/telehealth-service/template.yaml',
);

const fetchTemplate = createFetchTemplateAction({
  reader: mockServices.urlReader.mock(),
  // Only the parseRepoUrl / projectSlug filters use integrations; the skeleton uses neither.
  integrations: {} as Parameters<
    typeof createFetchTemplateAction
  >[0]['integrations'],
});

const valid = {
  name: 'visit-notes',
  description: 'Visit notes',
  owner: 'group:default/telehealth-video',
  system: 'system:default/telehealth',
  serviceKind: 'video',
  dataClassification: 'phi',
  slo: 'availability=99.9',
  strategy: 'rolling',
  workloadKind: 'Deployment',
  clusters: ['cloud-east'],
  dependsOn: ['component:default/patient-records'],
};

const HOSTILE = [
  'telehealth\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: everything\n  annotations:\n    backstage.io/kubernetes-label-selector: app.kubernetes.io/managed-by=careplane',
  '{ a: b }, [c]',
  `"double" 'single'`,
  '&anchor x *anchor <<: *anchor',
  '!!js/function # | > % @ `',
  'tab\t back\\slash \u2028 \u2029 é',
];

async function render(values: Record<string, unknown>): Promise<string> {
  const dir = createMockDirectory();
  const workspace = dir.resolve('workspace');
  await fetchTemplate.handler({
    input: { url: './skeleton', values },
    templateInfo: {
      entityRef: 'template:default/telehealth-service',
      baseUrl: `file://${template}`,
    },
    workspacePath: workspace,
    createTemporaryDirectory: async () =>
      fs.promises.mkdtemp(path.join(dir.path, 'tmp-')),
    logger: mockServices.logger.mock(),
    output: jest.fn(),
    checkpoint: async (o: { fn: () => unknown }) => o.fn(),
    getInitiatorCredentials: async () => mockCredentials.user(),
    task: { id: 'task' },
  } as any);
  return fs.readFileSync(path.join(workspace, 'catalog-info.yaml'), 'utf8');
}

describe('injected template values (telehealth-service skeleton, fetch:template)', () => {
  it('renders the one entity register accepts', async () => {
    const text = await render(valid);
    expect(catalogInfoProblems(text, valid)).toEqual([]);
  });

  const placed = (entity: any) => ({
    name: entity.metadata.name,
    description: entity.metadata.description,
    owner: entity.spec.owner,
    system: entity.spec.system,
    serviceKind: entity.metadata.tags[1],
    dataClassification:
      entity.metadata.annotations['careplane.io/data-classification'],
    slo: entity.metadata.annotations['careplane.io/slo'],
    dependsOn: entity.spec.dependsOn[0],
  });

  describe.each([
    'name',
    'description',
    'owner',
    'system',
    'serviceKind',
    'dataClassification',
    'slo',
    'dependsOn',
  ])('%s', parameter => {
    it.each(HOSTILE)('stays one string in one document: %j', async hostile => {
      const text = await render({
        ...valid,
        [parameter]: parameter === 'dependsOn' ? [hostile] : hostile,
      });
      const docs = parseAllDocuments(text);
      expect(docs).toHaveLength(1);
      expect(docs[0].errors).toEqual([]);
      const entity = docs[0].toJS();
      expect((placed(entity) as Record<string, unknown>)[parameter]).toBe(
        hostile,
      );
      expect(
        entity.metadata.annotations['backstage.io/kubernetes-label-selector'],
      ).toBeUndefined();
    });
  });

  it('a pasted value would have made two entities; register refuses such a file', async () => {
    // What the skeleton did before issue 8, for comparison: `system: ${{ values.system }}`.
    const text = (await render(valid)).replace(
      'system: "system:default/telehealth"',
      `system: ${HOSTILE[0]}`,
    );
    expect(parseAllDocuments(text)).toHaveLength(2);
    expect(catalogInfoProblems(text, valid)).toEqual([
      "it holds 2 YAML documents ('---'); it must be exactly one",
    ]);
  });
});
