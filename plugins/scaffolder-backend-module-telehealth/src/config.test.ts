import { ConfigReader } from '@backstage/config';
import { DEFAULT_STARTER_IMAGE, readTelehealthConfig } from './config';

describe('readTelehealthConfig', () => {
  it('has defaults for everything', () => {
    expect(readTelehealthConfig(new ConfigReader({}), '/srv')).toEqual({
      mesh: 'linkerd',
      gatewayNamespace: 'ingress-gateway',
      meshNamespace: 'linkerd',
      starterImage: DEFAULT_STARTER_IMAGE,
      skipKinds: [],
      publish: { provider: 'local', localDirectory: '/srv/.careplane/repos' },
      registerTimeoutMs: 120_000,
    });
  });

  it('reads every key', () => {
    const c = readTelehealthConfig(
      new ConfigReader({
        scaffolder: {
          telehealth: {
            mesh: 'istio',
            skipKinds: ['LimitRange'],
            publish: {
              provider: 'gitlab',
              host: 'gitlab.example.com',
              owner: 'health',
            },
            registerTimeout: { seconds: 30 },
          },
        },
      }),
    );
    expect(c).toMatchObject({
      mesh: 'istio',
      meshNamespace: 'istio-system',
      skipKinds: ['LimitRange'],
      publish: {
        provider: 'gitlab',
        host: 'gitlab.example.com',
        owner: 'health',
      },
      registerTimeoutMs: 30_000,
    });
  });

  it('names the key of an invalid value', () => {
    expect(() =>
      readTelehealthConfig(
        new ConfigReader({ scaffolder: { telehealth: { mesh: 'cilium' } } }),
      ),
    ).toThrow(
      "Invalid config scaffolder.telehealth.mesh 'cilium': expected one of linkerd, istio, none",
    );
    expect(() =>
      readTelehealthConfig(
        new ConfigReader({
          scaffolder: { telehealth: { publish: { provider: 'github' } } },
        }),
      ),
    ).toThrow("provider 'github' needs 'host' and 'owner'");
  });
});
