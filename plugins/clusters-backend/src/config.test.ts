import { ConfigReader } from '@backstage/config';
import { readClustersConfig } from './config';

const location = (extra: object = {}) => ({
  name: 'cloud-east',
  url: 'http://127.0.0.1:16442',
  auth: { type: 'serviceAccountToken', token: 'sim-token-cloud-east' },
  labels: { environment: 'production', phi: true },
  ...extra,
});

const read = (
  locations: object[],
  extra: object = {},
  nodeEnv = 'development',
) =>
  readClustersConfig(new ConfigReader({ clusters: { locations, ...extra } }), {
    nodeEnv,
  });

describe('readClustersConfig', () => {
  it('reads a location with defaults', () => {
    const { locations, options } = read([
      location({ timeouts: { request: '2s' } }),
    ]);
    expect(locations).toEqual([
      {
        name: 'cloud-east',
        title: undefined,
        url: 'http://127.0.0.1:16442',
        auth: { type: 'serviceAccountToken', token: 'sim-token-cloud-east' },
        caData: undefined,
        caFile: undefined,
        skipTLSVerify: false,
        labels: { environment: 'production', phi: 'true' },
        timeouts: { requestMs: 2000, firstSyncMs: 5000, watchIdleMs: 90000 },
      },
    ]);
    expect(options.retry).toEqual({
      maxRetries: 3,
      baseDelayMs: 200,
      maxDelayMs: 10000,
    });
  });

  it('refuses a missing url', () => {
    expect(() => read([location({ url: undefined })])).toThrow(
      "clusters.locations[0] (cloud-east): 'url' is required for auth type serviceAccountToken",
    );
  });

  it('refuses an unknown auth type', () => {
    expect(() => read([location({ auth: { type: 'password' } })])).toThrow(
      "clusters.locations[0] (cloud-east): unknown auth type 'password'; expected one of serviceAccountToken, kubeconfig, inCluster",
    );
  });

  it('refuses a missing auth type', () => {
    expect(() => read([location({ auth: {} })])).toThrow(
      /'auth.type' is required/,
    );
  });

  it('refuses duplicate names and bad names', () => {
    expect(() => read([location(), location()])).toThrow(
      /duplicate cluster name 'cloud-east'/,
    );
    expect(() => read([location({ name: 'Cloud_East' })])).toThrow(
      /must be a DNS label/,
    );
  });

  it('refuses skipTLSVerify in production', () => {
    expect(() =>
      read(
        [location({ url: 'https://api.example.com', skipTLSVerify: true })],
        {},
        'production',
      ),
    ).toThrow(/'skipTLSVerify: true' is refused in production/);
  });

  it('refuses plain http in production', () => {
    expect(() => read([location()], {}, 'production')).toThrow(
      /plain http:\/\/ API server URLs are refused in production/,
    );
  });

  it('lets allowInsecure open both in production', () => {
    expect(
      read(
        [location({ skipTLSVerify: true })],
        { allowInsecure: true },
        'production',
      ).locations,
    ).toHaveLength(1);
  });

  it('accepts kubeconfig and in-cluster auth without url', () => {
    const { locations } = read([
      { name: 'a', auth: { type: 'kubeconfig', path: '/k', context: 'c' } },
      { name: 'b', auth: { type: 'inCluster' } },
    ]);
    expect(locations.map(l => l.auth)).toEqual([
      { type: 'kubeconfig', path: '/k', context: 'c' },
      { type: 'inCluster' },
    ]);
  });
});
