import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  CatalogProcessorParser,
  parseEntityYaml,
} from '@backstage/plugin-catalog-node';
import { LocalRepoProcessor } from './catalogModule';

describe('LocalRepoProcessor', () => {
  const dir = createMockDirectory();
  const processor = new LocalRepoProcessor(dir.resolve('repos'));

  it('reads only catalog-info.yaml of a repository under the local folder', () => {
    expect(
      processor.resolve(dir.resolve('repos/visit-notes/catalog-info.yaml')),
    ).toBe(dir.resolve('repos/visit-notes/catalog-info.yaml'));
    expect(
      processor.resolve(dir.resolve('repos/visit-notes/other.yaml')),
    ).toBeUndefined();
    expect(processor.resolve('/etc/passwd')).toBeUndefined();
    expect(
      processor.resolve(dir.resolve('repos/../secrets/catalog-info.yaml')),
    ).toBeUndefined();
  });

  it('emits the parsed entities and ignores other location types', async () => {
    dir.setContent({
      'repos/visit-notes/catalog-info.yaml': 'kind: Component\n',
    });
    const emit = jest.fn();
    const parser = jest.fn(async function* parse() {
      yield { type: 'entity', entity: { kind: 'Component' } } as any;
    });
    const location = {
      type: 'careplane-local-repo',
      target: dir.resolve('repos/visit-notes/catalog-info.yaml'),
    };
    await expect(
      processor.readLocation(location, false, emit, parser as any),
    ).resolves.toBe(true);
    expect((parser.mock.calls as any)[0][0].data.toString()).toBe(
      'kind: Component\n',
    );
    expect(emit).toHaveBeenCalledWith({
      type: 'entity',
      entity: { kind: 'Component' },
    });
    await expect(
      processor.readLocation(
        { type: 'url', target: 'x' },
        false,
        emit,
        parser as any,
      ),
    ).resolves.toBe(false);
  });

  describe('one entity per repository', () => {
    const location = {
      type: 'careplane-local-repo',
      target: dir.resolve('repos/visit-notes/catalog-info.yaml'),
    };
    const component = (name: string) =>
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: ${name} }
spec: { type: service, lifecycle: experimental, owner: telehealth-video }
`;

    // The catalog's default parser does this.
    const parser: CatalogProcessorParser = async function* parse({
      data,
      location: l,
    }) {
      yield* parseEntityYaml(data, l);
    };

    async function read(text: string) {
      dir.setContent({ 'repos/visit-notes/catalog-info.yaml': text });
      const emit = jest.fn();
      await processor.readLocation(location, false, emit, parser);
      return emit.mock.calls.map(([r]) => r);
    }

    it('emits the one Component of the file', async () => {
      const results = await read(component('visit-notes'));
      expect(results).toEqual([
        expect.objectContaining({
          type: 'entity',
          entity: expect.objectContaining({
            metadata: { name: 'visit-notes' },
          }),
        }),
      ]);
    });

    it('refuses a file with several documents whole, with a clear error', async () => {
      const results = await read(
        `${component('visit-notes')}---
${component('everything')}`,
      );
      expect(results).toEqual([
        {
          type: 'error',
          location,
          error: expect.objectContaining({
            name: 'InputError',
            message: `${location.target} holds 2 YAML documents; a local repository's catalog-info.yaml must be exactly one Component entity, so none of them was read. Remove the extra documents ('---').`,
          }),
        },
      ]);
    });

    it('refuses any kind but Component (a Location would make the catalog read more)', async () => {
      const results = await read(`apiVersion: backstage.io/v1alpha1
kind: Location
metadata: { name: more }
spec: { type: file, target: /etc/passwd }
`);
      expect(results).toEqual([
        {
          type: 'error',
          location,
          error: expect.objectContaining({
            message: `${location.target} holds a Location entity; only a Component is read from a local repository.`,
          }),
        },
      ]);
    });
  });
});
