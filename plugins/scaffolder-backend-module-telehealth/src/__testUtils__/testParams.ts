import type { RenderSettings, ServiceParameters } from '../manifests/types';

/** Parameters of a typical PHI service, for tests. */
export function phiService(
  overrides: Partial<ServiceParameters> = {},
): ServiceParameters {
  return {
    name: 'visit-notes',
    namespace: 'visit-notes',
    owner: 'group:default/telehealth-video',
    system: 'telehealth',
    serviceKind: 'video',
    dataClassification: 'phi',
    strategy: 'rolling',
    canaryWeights: [20, 50],
    sloAvailability: 99.9,
    sloLatencyP99Ms: 300,
    minReplicas: 2,
    maxReplicas: 6,
    pdbMinAvailable: 1,
    port: 8080,
    image: `ghcr.io/northwind-health/telehealth-starter@sha256:${'a'.repeat(
      64,
    )}`,
    cpuRequest: '100m',
    memoryRequest: '128Mi',
    cpuLimit: '500m',
    memoryLimit: '256Mi',
    dependencies: ['patient-records:8443'],
    scope: 'service',
    ...overrides,
  };
}

/** Platform settings of the dev portal. */
export const settings: RenderSettings = {
  mesh: 'linkerd',
  gatewayNamespace: 'ingress-gateway',
  meshNamespace: 'linkerd',
};
