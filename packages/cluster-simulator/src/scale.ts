import type { Scenario } from './scenario';

/** Shape of a generated scale scenario. */
export interface ScaleScenarioOptions {
  clusters?: number;
  namespaces?: number;
  servicesPerNamespace?: number;
  podsPerService?: number;
  seed?: number;
  /** First port (0 = ephemeral everywhere). */
  basePort?: number;
  /** Add-ons to install on every cluster. */
  addons?: string[];
  /** Record Events (off by default: at scale they dominate the store). */
  events?: boolean;
}

/**
 * Generates clusters × namespaces × services × pods of ordinary Deployments
 * (with their Services, ConfigMaps, Secrets, HPAs, PDBs, NetworkPolicies),
 * already rolled out when the simulator starts serving.
 */
export function generateScaleScenario(
  options: ScaleScenarioOptions = {},
): Scenario {
  const clusters = options.clusters ?? 1;
  const namespaces = options.namespaces ?? 10;
  const services = options.servicesPerNamespace ?? 10;
  const pods = options.podsPerService ?? 100;
  const basePort = options.basePort ?? 0;
  return {
    seed: options.seed ?? 7,
    speed: 1,
    warmup: '30s',
    controlPort: basePort ? basePort - 1 : 0,
    clusters: Array.from({ length: clusters }, (_, c) => ({
      name: `scale-${c + 1}`,
      port: basePort ? basePort + c : 0,
      token: `sim-token-scale-${c + 1}`,
      addons: options.addons ?? [],
      podReadySeconds: 2,
      events: options.events ?? false,
      historyLimit: 50000,
      nodes: Array.from(
        {
          length: Math.max(3, Math.ceil((namespaces * services * pods) / 100)),
        },
        (__, i) => ({
          name: `scale-${c + 1}-node-${i + 1}`,
          cpu: '64',
          memory: '256Gi',
        }),
      ),
      apps: Array.from({ length: namespaces * services }, (__, i) => {
        const ns = Math.floor(i / services);
        return {
          name: `svc-${ns + 1}-${(i % services) + 1}`,
          namespace: `team-${ns + 1}`,
          createNamespace: i % services === 0,
          replicas: pods,
          dataClassification: ns % 3 === 0 ? 'phi' : 'internal',
          compliant: i % 7 !== 0,
        };
      }),
    })),
  };
}
