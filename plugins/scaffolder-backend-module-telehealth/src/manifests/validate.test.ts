import type { ClusterInfo } from '@careplane/plugin-clusters-common';
import { phiService } from '../__testUtils__/testParams';
import {
  clusterNameOf,
  validateServiceParameters,
  validateTargetClusters,
} from './validate';

const cluster = (name: string, phi: boolean): ClusterInfo => ({
  name,
  source: 'config',
  phi,
  labels: {},
  health: { status: 'healthy', circuit: 'closed' },
  stats: {
    informers: 0,
    objects: 0,
    approxBytes: 0,
    requests: {},
    throttled: 0,
  },
});

describe('validateServiceParameters', () => {
  it('accepts the defaults of a PHI service', () => {
    expect(validateServiceParameters(phiService())).toEqual([]);
  });

  it('explains names that Kubernetes would reject', () => {
    expect(
      validateServiceParameters(
        phiService({ name: 'Visit_Notes', namespace: 'Visit_Notes' }),
      ),
    ).toEqual([
      "The service name 'Visit_Notes' would be rejected by Kubernetes: use lower-case letters, digits and '-', start with a letter and end with a letter or digit (e.g. 'visit-notes').",
    ]);
    expect(
      validateServiceParameters(
        phiService({ name: 'a'.repeat(41), namespace: 'a'.repeat(41) }),
      )[0],
    ).toMatch(/is 41 characters long/);
  });

  it('refuses replicas at or below the disruption budget minimum', () => {
    expect(
      validateServiceParameters(
        phiService({ minReplicas: 2, pdbMinAvailable: 2 }),
      ),
    ).toEqual([
      "Minimum replicas (2) must be above the disruption budget's minAvailable (2); otherwise no pod may ever be evicted and node drains block. Use at least 3 replicas.",
    ]);
  });

  it('needs two replicas and a digest-pinned image for PHI', () => {
    expect(
      validateServiceParameters(
        phiService({
          minReplicas: 1,
          pdbMinAvailable: 0,
          image: 'ghcr.io/x/y:1.0',
        }),
      ),
    ).toEqual([
      'A PHI service needs at least 2 replicas (availability of ePHI, HIPAA 164.308(a)(7)).',
      "The image of a PHI service must be pinned by digest (image@sha256:…), got 'ghcr.io/x/y:1.0'.",
    ]);
  });

  it('checks canary weights, quantities and dependencies', () => {
    expect(
      validateServiceParameters(
        phiService({
          strategy: 'canary',
          canaryWeights: [50, 20],
          cpuLimit: 'lots',
          dependencies: ['Bad Name'],
        }),
      ),
    ).toEqual([
      "Dependency 'Bad Name' is not a Kubernetes service name (write 'name' or 'name:port').",
      'Canary weights must increase and stay below 100 (got 50, 20).',
      "The CPU limit 'lots' is not a Kubernetes quantity (e.g. 250m, 256Mi).",
    ]);
  });
});

describe('validateTargetClusters', () => {
  const known = [cluster('cloud-east', true), cluster('cloud-west', false)];

  it('names unknown clusters and the known ones', () => {
    expect(
      validateTargetClusters({
        clusters: ['mars'],
        known,
        dataClassification: 'internal',
      }),
    ).toEqual([
      "Unknown cluster 'mars': the cluster gateway knows cloud-east, cloud-west.",
    ]);
  });

  it('keeps PHI services off non-PHI clusters', () => {
    expect(
      validateTargetClusters({
        clusters: ['cloud-west'],
        known,
        dataClassification: 'phi',
      }),
    ).toEqual([
      "Cluster 'cloud-west' is not approved for PHI (careplane.io/phi is not 'true'); a PHI service may only run on PHI clusters (cloud-east).",
    ]);
    expect(
      validateTargetClusters({
        clusters: ['cloud-west'],
        known,
        dataClassification: 'internal',
      }),
    ).toEqual([]);
  });

  it('trusts a PHI cluster only if the catalog agrees', () => {
    expect(
      validateTargetClusters({
        clusters: ['cloud-east'],
        known,
        dataClassification: 'phi',
        catalogPhi: { 'cloud-east': false },
      }),
    ).toHaveLength(1);
  });

  it('accepts cluster entity refs', () => {
    expect(clusterNameOf('resource:default/cloud-east')).toBe('cloud-east');
    expect(clusterNameOf('cloud-east')).toBe('cloud-east');
  });
});
