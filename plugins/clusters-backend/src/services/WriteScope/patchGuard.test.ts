import { InputError } from '@backstage/errors';
import { assertWritingJsonPatch, ownerLabelChange } from './patchGuard';

const ID = 'video-consultation';
const LABEL = 'backstage.io/kubernetes-id';
const LABEL_POINTER = '/metadata/labels/backstage.io~1kubernetes-id';
const REFUSED =
  "the patch would change the object's backstage.io/kubernetes-id label (it must stay 'video-consultation'; ownership moves only through a platform admin)";

describe('assertWritingJsonPatch', () => {
  it.each(['copy', 'move', 'test'])('refuses %s and says why', op => {
    const patch = [
      { op: 'replace', path: '/spec/replicas', value: 2 },
      { op, from: '/spec/template', path: '/metadata/annotations/x' },
    ];
    expect(() => assertWritingJsonPatch(patch)).toThrow(InputError);
    expect(() => assertWritingJsonPatch(patch)).toThrow(
      `JSON patch operation 1: op "${op}" is not allowed; use add, remove or replace (copy, move and test can read values Careplane does not show)`,
    );
  });

  it.each<[string, unknown, string]>([
    ['an unknown op', { op: 'merge', path: '/a' }, 'op "merge" is not allowed'],
    ['a missing op', { path: '/a' }, 'op "" is not allowed'],
    ['an upper-case op', { op: 'ADD', path: '/a' }, 'op "ADD" is not allowed'],
    ['a non-string op', { op: 1, path: '/a' }, 'op "1" is not allowed'],
    [
      'a non-string path',
      { op: 'add', path: ['metadata'], value: 1 },
      'JSON patch operation 0: path must be a string',
    ],
    [
      'a missing path',
      { op: 'remove' },
      'JSON patch operation 0: path must be a string',
    ],
    [
      'a path without a leading slash',
      { op: 'remove', path: 'metadata/labels' },
      `JSON patch path "metadata/labels" must be empty or start with '/'`,
    ],
    ['null', null, 'JSON patch operation 0 must be an object'],
    ['a string', 'add /a', 'JSON patch operation 0 must be an object'],
    ['a number', 7, 'JSON patch operation 0 must be an object'],
    ['an array', ['add', '/a'], 'JSON patch operation 0 must be an object'],
  ])('refuses an operation that is %s', (_what, op, message) => {
    expect(() => assertWritingJsonPatch([op])).toThrow(InputError);
    expect(() => assertWritingJsonPatch([op])).toThrow(message);
  });

  it.each<[string, unknown]>([
    ['an object', { op: 'add', path: '/a', value: 1 }],
    ['a string', '[{"op":"add"}]'],
    ['null', null],
    ['undefined', undefined],
  ])('refuses a patch that is %s, not an array', (_what, patch) => {
    expect(() => assertWritingJsonPatch(patch)).toThrow(
      new InputError('A JSON patch must be an array of operations'),
    );
  });

  it('accepts add, remove and replace, with their pointers decoded', () => {
    expect(
      assertWritingJsonPatch([
        { op: 'add', path: '/metadata/labels/app', value: 'web' },
        { op: 'remove', path: '/spec/template/spec/containers/0/env/1' },
        { op: 'replace', path: '', value: { kind: 'ConfigMap' } },
        { op: 'replace', path: '/metadata/annotations/a~1b~0c', value: 'x' },
      ]),
    ).toEqual([
      { op: 'add', path: ['metadata', 'labels', 'app'], value: 'web' },
      {
        op: 'remove',
        path: ['spec', 'template', 'spec', 'containers', '0', 'env', '1'],
        value: undefined,
      },
      { op: 'replace', path: [], value: { kind: 'ConfigMap' } },
      { op: 'replace', path: ['metadata', 'annotations', 'a/b~c'], value: 'x' },
    ]);
  });

  it('decodes ~01 as the two characters ~1, not as a slash', () => {
    expect(
      assertWritingJsonPatch([{ op: 'remove', path: '/a~01b' }])[0].path,
    ).toEqual(['a~1b']);
  });

  it('accepts an empty patch', () => {
    expect(assertWritingJsonPatch([])).toEqual([]);
  });
});

describe('ownerLabelChange', () => {
  describe('merge patches', () => {
    it.each<[string, unknown]>([
      ['a patch of the spec only', { spec: { replicas: 3 } }],
      [
        'a patch of other labels',
        { metadata: { labels: { app: 'web', tier: null } } },
      ],
      ['a patch of annotations', { metadata: { annotations: { a: 'b' } } }],
      [
        'the label set to the same id',
        { metadata: { labels: { [LABEL]: ID } } },
      ],
      [
        'the label restated next to other labels',
        { metadata: { labels: { [LABEL]: ID, app: null } } },
      ],
      ['an empty patch', {}],
      ['a non-object patch', 'metadata'],
      ['null', null],
    ])('leaves the label alone with %s', (_what, patch) => {
      expect(ownerLabelChange('merge', patch, ID)).toBeUndefined();
    });

    it.each<[string, unknown]>([
      ['metadata set to null', { metadata: null }],
      ['the labels set to null', { metadata: { labels: null } }],
      ['the label set to null', { metadata: { labels: { [LABEL]: null } } }],
      [
        "the label set to another entity's id",
        { metadata: { labels: { [LABEL]: 'other' } } },
      ],
      [
        'the label set to an empty string',
        { metadata: { labels: { [LABEL]: '' } } },
      ],
      ['the label set to a number', { metadata: { labels: { [LABEL]: 1 } } }],
    ])('refuses %s', (_what, patch) => {
      expect(ownerLabelChange('merge', patch, ID)).toBe(REFUSED);
    });
  });

  describe('JSON patches', () => {
    it.each<[string, unknown[]]>([
      [
        'a patch of the spec only',
        [{ op: 'replace', path: '/spec/replicas', value: 3 }],
      ],
      [
        'the labels replaced, keeping the label',
        [
          {
            op: 'replace',
            path: '/metadata/labels',
            value: { [LABEL]: ID, app: 'web' },
          },
        ],
      ],
      [
        'another label added',
        [{ op: 'add', path: '/metadata/labels/app', value: 'web' }],
      ],
      [
        'another label removed',
        [{ op: 'remove', path: '/metadata/labels/app' }],
      ],
      [
        'the label replaced with the same id',
        [{ op: 'replace', path: LABEL_POINTER, value: ID }],
      ],
      [
        'metadata replaced, keeping the label',
        [
          {
            op: 'replace',
            path: '/metadata',
            value: { name: 'web', labels: { [LABEL]: ID } },
          },
        ],
      ],
      [
        'the whole object replaced, keeping the label',
        [
          {
            op: 'replace',
            path: '',
            value: { metadata: { name: 'web', labels: { [LABEL]: ID } } },
          },
        ],
      ],
      [
        'an annotation of the same name changed',
        [
          {
            op: 'replace',
            path: '/metadata/annotations/backstage.io~1kubernetes-id',
            value: 'other',
          },
        ],
      ],
      ['an empty patch', []],
    ])('leaves the label alone with %s', (_what, patch) => {
      expect(ownerLabelChange('json', patch, ID)).toBeUndefined();
    });

    it.each<[string, unknown[]]>([
      ['the label removed', [{ op: 'remove', path: LABEL_POINTER }]],
      [
        "the label replaced with another entity's id",
        [{ op: 'replace', path: LABEL_POINTER, value: 'other' }],
      ],
      [
        "the label added with another entity's id",
        [{ op: 'add', path: LABEL_POINTER, value: 'other' }],
      ],
      [
        'the labels replaced with {}',
        [{ op: 'replace', path: '/metadata/labels', value: {} }],
      ],
      ['the labels removed', [{ op: 'remove', path: '/metadata/labels' }]],
      ['metadata removed', [{ op: 'remove', path: '/metadata' }]],
      [
        'metadata replaced without labels',
        [{ op: 'replace', path: '/metadata', value: { name: 'web' } }],
      ],
      [
        'the whole object replaced without the label',
        [
          {
            op: 'replace',
            path: '',
            value: {
              kind: 'Deployment',
              metadata: { name: 'web', labels: {} },
            },
          },
        ],
      ],
      ['the whole object removed', [{ op: 'remove', path: '' }]],
      [
        'a harmless op followed by the label removed',
        [
          { op: 'replace', path: '/spec/replicas', value: 2 },
          { op: 'remove', path: LABEL_POINTER },
        ],
      ],
      [
        'the label restated and then removed',
        [
          { op: 'replace', path: LABEL_POINTER, value: ID },
          { op: 'remove', path: LABEL_POINTER },
        ],
      ],
    ])('refuses %s', (_what, patch) => {
      expect(ownerLabelChange('json', patch, ID)).toBe(REFUSED);
    });

    it('decodes ~1 in the label key, and ~0 as a literal ~', () => {
      // "~1" is '/', so this is the owner label
      expect(
        ownerLabelChange(
          'json',
          [
            {
              op: 'remove',
              path: '/metadata/labels/backstage.io~1kubernetes-id',
            },
          ],
          ID,
        ),
      ).toBe(REFUSED);
      // "~0" is '~': a different key ('backstage.io~kubernetes-id'), not the owner label
      expect(
        ownerLabelChange(
          'json',
          [
            {
              op: 'remove',
              path: '/metadata/labels/backstage.io~0kubernetes-id',
            },
          ],
          ID,
        ),
      ).toBeUndefined();
      // "~01" is '~1' literally, not '/'
      expect(
        ownerLabelChange(
          'json',
          [
            {
              op: 'remove',
              path: '/metadata/labels/backstage.io~01kubernetes-id',
            },
          ],
          ID,
        ),
      ).toBeUndefined();
    });

    it('refuses what assertWritingJsonPatch refuses', () => {
      expect(() =>
        ownerLabelChange(
          'json',
          [{ op: 'copy', from: '/spec', path: LABEL_POINTER }],
          ID,
        ),
      ).toThrow(/op "copy" is not allowed/);
      expect(() => ownerLabelChange('json', { op: 'remove' }, ID)).toThrow(
        'A JSON patch must be an array of operations',
      );
    });
  });
});
