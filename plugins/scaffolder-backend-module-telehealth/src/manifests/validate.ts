import type { ClusterInfo } from '@careplane/plugin-clusters-common';
import type { ServiceParameters } from './types';

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
// Leaves room for the suffixes the manifests add (`-preview`, `-allow-gateway`, pod hashes).
export const MAX_NAME_LENGTH = 40;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;

/**
 * Problems with the parameters, as sentences a person can act on. Empty when valid.
 * @public
 */
export function validateServiceParameters(p: ServiceParameters): string[] {
  const problems: string[] = [];
  const checkName = (label: string, value: string) => {
    if (!value) {
      problems.push(`${label} is required.`);
    } else if (value.length > MAX_NAME_LENGTH) {
      problems.push(
        `${label} '${value}' is ${value.length} characters long; Kubernetes names of a service must be at most ${MAX_NAME_LENGTH} here (63 minus the suffixes Careplane adds).`,
      );
    } else if (!DNS_LABEL.test(value)) {
      problems.push(
        `${label} '${value}' would be rejected by Kubernetes: use lower-case letters, digits and '-', start with a letter and end with a letter or digit (e.g. 'visit-notes').`,
      );
    }
  };
  checkName('The service name', p.name);
  if (p.namespace !== p.name) checkName('The namespace', p.namespace);
  if (p.scope === 'namespace') return problems;

  for (const dep of p.dependencies) {
    const [depName, port] = dep.split(':');
    if (!DNS_LABEL.test(depName ?? '')) {
      problems.push(
        `Dependency '${dep}' is not a Kubernetes service name (write 'name' or 'name:port').`,
      );
    }
    if (port !== undefined && !(Number(port) > 0 && Number(port) < 65536)) {
      problems.push(`Dependency '${dep}' has an invalid port.`);
    }
  }
  if (!Number.isInteger(p.minReplicas) || p.minReplicas < 1) {
    problems.push(`Minimum replicas must be a whole number of at least 1.`);
  }
  if (p.maxReplicas < p.minReplicas) {
    problems.push(
      `Maximum replicas (${p.maxReplicas}) must be at least the minimum (${p.minReplicas}).`,
    );
  }
  if (p.minReplicas <= p.pdbMinAvailable) {
    problems.push(
      `Minimum replicas (${
        p.minReplicas
      }) must be above the disruption budget's minAvailable (${
        p.pdbMinAvailable
      }); otherwise no pod may ever be evicted and node drains block. Use at least ${
        p.pdbMinAvailable + 1
      } replicas.`,
    );
  }
  if (p.dataClassification === 'phi' && p.minReplicas < 2) {
    problems.push(
      `A PHI service needs at least 2 replicas (availability of ePHI, HIPAA 164.308(a)(7)).`,
    );
  }
  if (p.strategy === 'canary') {
    if (p.canaryWeights.length === 0) {
      problems.push('A canary needs at least one step weight.');
    }
    let last = 0;
    for (const w of p.canaryWeights) {
      if (!(w > last && w < 100)) {
        problems.push(
          `Canary weights must increase and stay below 100 (got ${p.canaryWeights.join(
            ', ',
          )}).`,
        );
        break;
      }
      last = w;
    }
  }
  if (!(p.sloAvailability > 50 && p.sloAvailability < 100)) {
    problems.push(
      `The availability objective must be a percentage between 50 and 100 (e.g. 99.9), got ${p.sloAvailability}.`,
    );
  }
  for (const [label, q] of [
    ['CPU request', p.cpuRequest],
    ['memory request', p.memoryRequest],
    ['CPU limit', p.cpuLimit],
    ['memory limit', p.memoryLimit],
  ] as const) {
    if (!QUANTITY.test(q)) {
      problems.push(
        `The ${label} '${q}' is not a Kubernetes quantity (e.g. 250m, 256Mi).`,
      );
    }
  }
  if (
    !/@sha256:[a-f0-9]{64}$/.test(p.image) &&
    p.dataClassification === 'phi'
  ) {
    problems.push(
      `The image of a PHI service must be pinned by digest (image@sha256:…), got '${p.image}'.`,
    );
  }
  return problems;
}

/** Strips `resource:default/` from a cluster entity ref, leaving the cluster name. @public */
export function clusterNameOf(refOrName: string): string {
  const slash = refOrName.lastIndexOf('/');
  const noNs = slash >= 0 ? refOrName.slice(slash + 1) : refOrName;
  const colon = noNs.indexOf(':');
  return colon >= 0 ? noNs.slice(colon + 1) : noNs;
}

/**
 * Problems with the target clusters: unknown names and PHI services on clusters not approved for
 * PHI. A cluster counts as approved only if the gateway's config says `phi: 'true'` and, when
 * the catalog has the cluster entity, its `careplane.io/phi` label agrees.
 * @public
 */
export function validateTargetClusters(options: {
  clusters: string[];
  known: ClusterInfo[];
  dataClassification: string;
  catalogPhi?: Record<string, boolean | undefined>;
}): string[] {
  const problems: string[] = [];
  if (options.clusters.length === 0) {
    problems.push('Choose at least one target cluster.');
  }
  const byName = new Map(options.known.map(c => [c.name, c]));
  for (const name of options.clusters) {
    const info = byName.get(name);
    if (!info) {
      problems.push(
        `Unknown cluster '${name}': the cluster gateway knows ${
          [...byName.keys()].join(', ') || 'no clusters'
        }.`,
      );
      continue;
    }
    const approved = info.phi && options.catalogPhi?.[name] !== false;
    if (options.dataClassification === 'phi' && !approved) {
      problems.push(
        `Cluster '${name}' is not approved for PHI (careplane.io/phi is not 'true'); a PHI service may only run on PHI clusters (${
          options.known
            .filter(c => c.phi)
            .map(c => c.name)
            .join(', ') || 'none configured'
        }).`,
      );
    }
  }
  return problems;
}
