import { createMockDirectory } from '@backstage/backend-test-utils';
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
});
