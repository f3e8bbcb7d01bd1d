import {
  ANNOTATION_MIGRATION_SOURCE,
  ANNOTATION_MIGRATION_TARGET,
  parseMigrationEndpoint,
  parseMigrationEndpoints,
} from './annotations';

describe('parseMigrationEndpoint', () => {
  it.each([
    ['legacy-onprem', { cluster: 'legacy-onprem' }],
    [
      'cloud-east/patient-records',
      { cluster: 'cloud-east', namespace: 'patient-records' },
    ],
    [' cloud-east ', { cluster: 'cloud-east' }],
  ])('reads %j', (value, expected) => {
    expect(parseMigrationEndpoint(ANNOTATION_MIGRATION_SOURCE, value)).toEqual({
      ok: true,
      value: expected,
    });
  });

  it.each([
    [undefined, /is missing: set it to 'cluster' or 'cluster\/namespace'/],
    ['', /is missing/],
    ['a/b/c', /more than one '\/'/],
    ['Cloud_East', /'Cloud_East' is not a valid cluster name/],
    ['cloud-east/', /'' is not a valid namespace name/],
    [`cloud-east/${'n'.repeat(64)}`, /not a valid namespace name/],
  ])('refuses %j and says what to fix', (value, message) => {
    const result = parseMigrationEndpoint(ANNOTATION_MIGRATION_TARGET, value);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
    expect(!result.ok && result.error).toMatch(
      /^careplane\.io\/migration-target/,
    );
  });
});

describe('parseMigrationEndpoints', () => {
  it('reads both sides of the demo catalog', () => {
    expect(
      parseMigrationEndpoints({
        [ANNOTATION_MIGRATION_SOURCE]: 'legacy-onprem/patient-records',
        [ANNOTATION_MIGRATION_TARGET]: 'cloud-east/patient-records',
      }),
    ).toEqual({
      ok: true,
      value: {
        source: { cluster: 'legacy-onprem', namespace: 'patient-records' },
        target: { cluster: 'cloud-east', namespace: 'patient-records' },
      },
    });
  });

  it('refuses a source equal to its target', () => {
    const result = parseMigrationEndpoints({
      [ANNOTATION_MIGRATION_SOURCE]: 'cloud-east/a',
      [ANNOTATION_MIGRATION_TARGET]: 'cloud-east/a',
    });
    expect(!result.ok && result.error).toMatch(
      /are the same \(cloud-east\/a\)/,
    );
  });

  it('allows the same cluster with another namespace', () => {
    expect(
      parseMigrationEndpoints({
        [ANNOTATION_MIGRATION_SOURCE]: 'cloud-east/a',
        [ANNOTATION_MIGRATION_TARGET]: 'cloud-east/b',
      }).ok,
    ).toBe(true);
  });

  it('names the missing annotation', () => {
    const result = parseMigrationEndpoints({
      [ANNOTATION_MIGRATION_SOURCE]: 'legacy-onprem',
    });
    expect(!result.ok && result.error).toMatch(
      /^careplane\.io\/migration-target is missing/,
    );
  });
});
