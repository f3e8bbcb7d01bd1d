import { mockCredentials } from '@backstage/backend-test-utils';
import { parseEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { componentEntity } from '../../__testUtils__/oneCluster';
import { EntitySelectors, MAX_CACHED_ENTITIES } from './EntitySelectors';
import { TtlLruCache } from './TtlLruCache';

const credentials = mockCredentials.user();

function setup(names: string[], options: { maxEntries?: number } = {}) {
  const catalog = catalogServiceMock();
  const known = new Set(names);
  // a look-up by name (the mock's own searches every entity, slow for thousands of them)
  const getEntityByRef = jest
    .spyOn(catalog, 'getEntityByRef')
    .mockImplementation(async ref => {
      const { name } = parseEntityRef(ref);
      return known.has(name) ? componentEntity(name) : undefined;
    });
  let now = 1_000_000;
  const selectors = new EntitySelectors({
    catalog,
    entityTtlMs: 30_000,
    maxEntries: options.maxEntries,
    now: () => now,
  });
  return {
    selectors,
    lookups: () => getEntityByRef.mock.calls.length,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('EntitySelectors', () => {
  it('resolves an entity to its selector and asks the catalog once within the TTL', async () => {
    const { selectors, lookups, advance } = setup(['video']);
    const expected = {
      labelSelector: 'backstage.io/kubernetes-id=video',
    };
    await expect(
      selectors.selectorFor('component:default/video', credentials),
    ).resolves.toMatchObject(expected);
    advance(29_000);
    // the same entity, spelled differently, is the same cache entry
    await expect(
      selectors.selectorFor('Component:video', credentials),
    ).resolves.toMatchObject(expected);
    expect(lookups()).toBe(1);
    advance(1_000);
    await selectors.selectorFor('component:default/video', credentials);
    expect(lookups()).toBe(2);
  });

  it('says which ref is invalid, which entity is missing and which has no annotation', async () => {
    const { selectors } = setup([]);
    await expect(selectors.scopeFor('::', credentials)).rejects.toThrow(
      "Invalid entity ref '::'",
    );
    await expect(
      selectors.scopeFor('component:default/ghost', credentials),
    ).rejects.toThrow('Entity component:default/ghost not found');
  });

  it('holds at most maxEntries entities, evicting the least recently used one', async () => {
    const { selectors, lookups } = setup(['a', 'b', 'c', 'd'], {
      maxEntries: 3,
    });
    for (const name of ['a', 'b', 'c']) {
      await selectors.scopeFor(`component:default/${name}`, credentials);
    }
    // a is used again, so b is now the least recently used
    await selectors.scopeFor('component:default/a', credentials);
    await selectors.scopeFor('component:default/d', credentials);
    expect(selectors.cachedEntities).toBe(3);
    expect(lookups()).toBe(4);
    await selectors.scopeFor('component:default/a', credentials);
    await selectors.scopeFor('component:default/c', credentials);
    await selectors.scopeFor('component:default/d', credentials);
    expect(lookups()).toBe(4);
    await selectors.scopeFor('component:default/b', credentials);
    expect(lookups()).toBe(5);
    expect(selectors.cachedEntities).toBe(3);
  });

  it('is bounded at MAX_CACHED_ENTITIES by default, and stays warm when full', async () => {
    const names = Array.from(
      { length: MAX_CACHED_ENTITIES + 10 },
      (_, i) => `svc-${i}`,
    );
    const { selectors, lookups } = setup(names);
    for (const name of names) {
      await selectors.scopeFor(`component:default/${name}`, credentials);
    }
    expect(selectors.cachedEntities).toBe(MAX_CACHED_ENTITIES);
    // the most recent entries survived the overflow (no clear-all when full)
    const before = lookups();
    await selectors.scopeFor(
      `component:default/${names[names.length - 1]}`,
      credentials,
    );
    expect(lookups()).toBe(before);
  });
});

describe('TtlLruCache', () => {
  it('forgets an entry after its TTL and never holds more than maxEntries', () => {
    let now = 0;
    const cache = new TtlLruCache<string, number>({
      maxEntries: 2,
      ttlMs: 10,
      now: () => now,
    });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    now = 10;
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
