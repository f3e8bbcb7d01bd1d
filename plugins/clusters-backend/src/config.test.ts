import { ConfigReader } from '@backstage/config';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  describe('metrics', () => {
    const https = { url: 'https://api.example.com' };

    it('reads a metrics source with the cluster request timeout', () => {
      const { metrics } = read([
        location({
          timeouts: { request: '3s' },
          metrics: {
            url: 'http://127.0.0.1:16440/',
            auth: { type: 'bearerToken', token: 't0ken' },
            clusterLabel: 'cluster',
          },
        }),
        location({ name: 'cloud-west' }),
      ]);
      expect(metrics).toEqual({
        'cloud-east': {
          url: 'http://127.0.0.1:16440',
          auth: { type: 'bearerToken', token: 't0ken' },
          clusterLabel: 'cluster',
          timeoutMs: 3000,
        },
      });
    });

    it('refuses a missing or bad url, naming the key', () => {
      expect(() => read([location({ metrics: {} })])).toThrow(
        "clusters.locations[0] (cloud-east): 'metrics.url' is required",
      );
      expect(() => read([location({ metrics: { url: 'nope' } })])).toThrow(
        "clusters.locations[0] (cloud-east): 'metrics.url' is not a valid URL",
      );
      expect(() =>
        read([location({ metrics: { url: 'ftp://example.com' } })]),
      ).toThrow(/'metrics.url' must be http\(s\)/);
      expect(() =>
        read([location({ metrics: { url: 'https://u:p@example.com' } })]),
      ).toThrow(/'metrics.url' must be a plain base URL/);
    });

    it('refuses an unknown auth type and a bad cluster label', () => {
      expect(() =>
        read([
          location({
            metrics: { url: 'https://m.example.com', auth: { type: 'basic' } },
          }),
        ]),
      ).toThrow(/unknown 'metrics.auth.type' 'basic'/);
      expect(() =>
        read([
          location({
            metrics: { url: 'https://m.example.com', clusterLabel: 'a-b' },
          }),
        ]),
      ).toThrow(/'metrics.clusterLabel' must be a Prometheus label name/);
    });

    it('refuses plain http in production unless allowInsecure', () => {
      const metrics = { url: 'http://prometheus:9090' };
      expect(() =>
        read([location({ ...https, metrics })], {}, 'production'),
      ).toThrow(
        "clusters.locations[0] (cloud-east): plain http:// 'metrics.url' is refused in production",
      );
      expect(
        read(
          [location({ ...https, metrics })],
          { allowInsecure: true },
          'production',
        ).metrics['cloud-east'].url,
      ).toBe('http://prometheus:9090');
    });
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

  describe('kubeconfig in production', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'clusters-kubeconfig-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** A kubeconfig with a secure `prod` context and the given `dev` cluster. */
    function kubeconfig(dev: string) {
      const path = join(dir, 'config');
      writeFileSync(
        path,
        `apiVersion: v1
kind: Config
current-context: dev
clusters:
  - name: prod
    cluster:
      server: https://prod.example.com:6443
      certificate-authority-data: Zm9v
  - name: dev
    cluster:
${dev}
contexts:
  - name: prod
    context: { cluster: prod, user: u }
  - name: dev
    context: { cluster: dev, user: u }
users:
  - name: u
    user: { token: t }
`,
      );
      return path;
    }
    const at = (path: string, context?: string) => ({
      name: 'kc',
      auth: { type: 'kubeconfig', path, context },
    });

    it('refuses a current cluster with a plain http server', () => {
      const path = kubeconfig('      server: http://dev.example.com:8080');
      expect(() => read([at(path)], {}, 'production')).toThrow(
        `clusters.locations[0] (kc): cluster 'dev' (context 'dev') of the kubeconfig '${path}' has a plain http:// server, refused in production; point it at the https endpoint (with certificate-authority-data), or set clusters.allowInsecure: true`,
      );
    });

    it('refuses a current cluster with insecure-skip-tls-verify', () => {
      const path = kubeconfig(
        '      server: https://dev.example.com:6443\n      insecure-skip-tls-verify: true',
      );
      expect(() => read([at(path)], {}, 'production')).toThrow(
        /clusters.locations\[0\] \(kc\): cluster 'dev' \(context 'dev'\) .* sets insecure-skip-tls-verify, refused in production; remove it/,
      );
    });

    it("checks the configured context, not the file's current one", () => {
      const path = kubeconfig('      server: http://dev.example.com:8080');
      expect(read([at(path, 'prod')], {}, 'production').locations).toHaveLength(
        1,
      );
    });

    it('refuses a context the file does not have, and a file it cannot read', () => {
      const path = kubeconfig('      server: http://dev.example.com:8080');
      expect(() => read([at(path, 'nope')], {}, 'production')).toThrow(
        /has no cluster for context 'nope'; set 'auth.context'/,
      );
      expect(() => read([at(join(dir, 'missing'))], {}, 'production')).toThrow(
        /cannot read the kubeconfig .*missing/,
      );
    });

    it('is not checked outside production or with allowInsecure', () => {
      const path = kubeconfig(
        '      server: http://dev.example.com:8080\n      insecure-skip-tls-verify: true',
      );
      expect(read([at(path)]).locations).toHaveLength(1);
      expect(
        read([at(path)], { allowInsecure: true }, 'production').locations,
      ).toHaveLength(1);
    });
  });
});
