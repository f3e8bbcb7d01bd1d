import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { catalogInfoProblems } from './register';

/*
 * Injected template values (issue 8): a parameter of the telehealth-service template must not be
 * able to add lines, keys or documents to the catalog-info.yaml the skeleton renders. The skeleton
 * serialises every value with `| dump` (JSON, which is valid YAML); these tests hold it to that and
 * show what each hostile value becomes. The same skeleton is rendered through the scaffolder's own
 * fetch:template action in packages/backend/src/templates.test.ts.
 */
const skeleton = fs.readFileSync(
  path.resolve(
    __dirname,
    '../../../../catalog/templates/telehealth-service/skeleton/catalog-info.yaml',
  ),
  'utf8',
);
const EXPRESSION = /\$\{\{\s*values\.(\w+)\s*(\|\s*dump\s*)?\}\}/g;

/** What the template engine's `dump` filter writes (JSON.stringify), or the raw value without it. */
function render(template: string, values: Record<string, unknown>): string {
  return template.replace(EXPRESSION, (_m, key: string, dump?: string) =>
    dump ? JSON.stringify(values[key]) : String(values[key]),
  );
}

/** Values that mean something to YAML: documents, flow collections, quotes, anchors, tags… */
const HOSTILE = [
  'telehealth\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: everything }',
  '{ kubernetes-label-selector: "app=*" }',
  '[a, b]',
  `"double" and 'single' quotes`,
  '&anchor value',
  '*anchor',
  '<<: *anchor',
  '!!js/function x',
  '# not a comment',
  'key: value',
  '- item',
  '| block',
  '> folded',
  '%YAML 1.2',
  '...',
  'tab\there, back\\slash, line\u2028and paragraph\u2029separators',
  'null',
  'true',
  '1e3',
];

const PARAMETERS = [
  'name',
  'description',
  'owner',
  'system',
  'serviceKind',
  'dataClassification',
  'slo',
];

const valid = {
  name: 'visit-notes',
  description: 'Visit notes',
  owner: 'group:default/telehealth-video',
  system: 'system:default/telehealth',
  serviceKind: 'video',
  dataClassification: 'phi',
  slo: 'availability=99.9',
  dependsOn: ['component:default/patient-records'],
};

describe('injected template values in catalog-info.yaml', () => {
  it('serialises every value of the skeleton with | dump', () => {
    const expressions = [...skeleton.matchAll(EXPRESSION)];
    expect(expressions.map(m => m[1]).sort()).toEqual(
      [...PARAMETERS, 'dependsOn', 'name', 'name', 'dataClassification'].sort(),
    );
    expect(expressions.filter(m => !m[2]).map(m => m[0])).toEqual([]);
    // Nothing else is templated (no `{% %}` blocks, no other expressions).
    expect(skeleton.replace(EXPRESSION, '')).not.toMatch(/\$\{\{|\{%/);
  });

  describe.each(PARAMETERS)('%s', parameter => {
    it.each(HOSTILE)('stays one string: %j', hostile => {
      const text = render(skeleton, { ...valid, [parameter]: hostile });
      const docs = parseAllDocuments(text);
      expect(docs).toHaveLength(1);
      expect(docs[0].errors).toEqual([]);
      const entity = docs[0].toJS();
      const placed = {
        name: entity.metadata.name,
        description: entity.metadata.description,
        owner: entity.spec.owner,
        system: entity.spec.system,
        serviceKind: entity.metadata.tags[1],
        dataClassification:
          entity.metadata.annotations['careplane.io/data-classification'],
        slo: entity.metadata.annotations['careplane.io/slo'],
      } as Record<string, unknown>;
      expect(placed[parameter]).toBe(hostile);
      expect(Object.keys(entity.metadata.annotations).sort()).toEqual([
        'backstage.io/kubernetes-id',
        'backstage.io/kubernetes-namespace',
        'careplane.io/data-classification',
        'careplane.io/slo',
      ]);
    });
  });

  it('keeps hostile dependsOn items as strings of one list', () => {
    const dependsOn = HOSTILE.slice(0, 5);
    const [doc] = parseAllDocuments(render(skeleton, { ...valid, dependsOn }));
    expect(doc.toJS().spec.dependsOn).toEqual(dependsOn);
  });

  it('the pasted (un-dumped) skeleton would have registered a second entity; register refuses that', () => {
    const pasted = skeleton.replace(/\s*\|\s*dump\s*\}\}/g, ' }}');
    const text = render(pasted, { ...valid, system: HOSTILE[0] });
    expect(parseAllDocuments(text)).toHaveLength(2);
    expect(
      catalogInfoProblems(text, {
        name: 'visit-notes',
        owner: 'group:default/telehealth-video',
      }),
    ).toEqual(["it holds 2 YAML documents ('---'); it must be exactly one"]);
  });

  it('the dumped skeleton with valid values is the one entity register accepts', () => {
    expect(
      catalogInfoProblems(render(skeleton, valid), {
        name: 'visit-notes',
        owner: 'group:default/telehealth-video',
      }),
    ).toEqual([]);
  });
});
