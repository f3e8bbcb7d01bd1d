import { KNOWN_CRDS } from './resources';
import { parseDurationSeconds } from './util';

/**
 * Validation of a parsed scenario: every problem with the path it sits at,
 * so that loading can report `file:line:column: problem`.
 */

/** A path into the scenario document. */
export type Path = Array<string | number>;
/** One problem found in a scenario. */
export interface Problem {
  path: Path;
  message: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ROOT_KEYS = [
  'seed',
  'speed',
  'startTime',
  'warmup',
  'controlPort',
  'host',
  'clusters',
  'timeline',
  'metrics',
];
const CLUSTER_KEYS = [
  'name',
  'port',
  'token',
  'users',
  'nodes',
  'addons',
  'podReadySeconds',
  'historyLimit',
  'events',
  'apps',
  'objects',
  'faults',
];
const APP_KEYS = [
  'name',
  'namespace',
  'kind',
  'replicas',
  'image',
  'labels',
  'dataClassification',
  'compliant',
  'strategy',
  'podAnnotations',
  'hpa',
  'update',
  'createNamespace',
];

const isMap = (v: unknown): v is Record<string, any> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Structural validation of a scenario; returns problems with their paths. */
export function validateScenario(s: unknown): Problem[] {
  const problems: Problem[] = [];
  const p = (path: Path, message: string) => problems.push({ path, message });
  if (!isMap(s)) {
    p([], 'a scenario must be a mapping with a "clusters" list');
    return problems;
  }
  for (const k of Object.keys(s))
    if (!ROOT_KEYS.includes(k))
      p([k], `unknown key "${k}" (expected one of: ${ROOT_KEYS.join(', ')})`);
  if (s.seed !== undefined && !Number.isInteger(s.seed))
    p(['seed'], 'seed must be an integer');
  if (s.speed !== undefined && (typeof s.speed !== 'number' || s.speed < 0))
    p(['speed'], 'speed must be a number >= 0');
  if (s.warmup !== undefined && parseDurationSeconds(s.warmup) === undefined)
    p(['warmup'], `warmup "${s.warmup}" is not a duration (e.g. 90s, 10m)`);
  if (
    s.startTime !== undefined &&
    Number.isNaN(Date.parse(String(s.startTime)))
  )
    p(['startTime'], 'startTime must be an ISO timestamp');
  if (
    s.controlPort !== undefined &&
    (!Number.isInteger(s.controlPort) ||
      s.controlPort < 0 ||
      s.controlPort > 65535)
  )
    p(['controlPort'], 'controlPort must be an integer port');
  if (!Array.isArray(s.clusters) || s.clusters.length === 0) {
    p(
      s.clusters === undefined ? [] : ['clusters'],
      'a scenario needs a non-empty "clusters" list',
    );
    return problems;
  }
  const names = new Set<string>();
  const ports = new Set<number>();
  s.clusters.forEach((c: any, i: number) => {
    const at = ['clusters', i];
    if (!isMap(c)) {
      p(at, 'each cluster must be a mapping');
      return;
    }
    for (const k of Object.keys(c))
      if (!CLUSTER_KEYS.includes(k))
        p(
          [...at, k],
          `unknown cluster key "${k}" (expected one of: ${CLUSTER_KEYS.join(
            ', ',
          )})`,
        );
    if (typeof c.name !== 'string' || !DNS_LABEL.test(c.name))
      p(
        c.name === undefined ? at : [...at, 'name'],
        'cluster "name" is required and must be a DNS label (lower case letters, digits, -)',
      );
    else if (names.has(c.name))
      p([...at, 'name'], `duplicate cluster name "${c.name}"`);
    else names.add(c.name);
    if (c.port !== undefined) {
      if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535)
        p([...at, 'port'], 'port must be an integer between 0 and 65535');
      else if (c.port !== 0 && ports.has(c.port))
        p([...at, 'port'], `port ${c.port} is used by another cluster`);
      else ports.add(c.port);
    }
    if (
      c.token !== undefined &&
      (typeof c.token !== 'string' || c.token === '')
    )
      p([...at, 'token'], 'token must be a non-empty string');
    (c.addons ?? []).forEach((a: any, j: number) => {
      if (!Object.keys(KNOWN_CRDS).includes(a))
        p(
          [...at, 'addons', j],
          `unknown addon "${a}" (known: ${Object.keys(KNOWN_CRDS).join(', ')})`,
        );
    });
    if (c.addons !== undefined && !Array.isArray(c.addons))
      p([...at, 'addons'], 'addons must be a list');
    (c.nodes ?? []).forEach((n: any, j: number) => {
      if (!isMap(n) || typeof n.name !== 'string')
        p([...at, 'nodes', j], 'each node needs a "name"');
      else if (
        n.gpus !== undefined &&
        (!Number.isInteger(n.gpus) || n.gpus < 0)
      )
        p([...at, 'nodes', j, 'gpus'], 'gpus must be a non-negative integer');
    });
    (c.users ?? []).forEach((u: any, j: number) => {
      if (
        !isMap(u) ||
        typeof u.token !== 'string' ||
        typeof u.name !== 'string'
      )
        p([...at, 'users', j], 'each user needs a "name" and a "token"');
    });
    if (c.apps !== undefined && !Array.isArray(c.apps))
      p([...at, 'apps'], 'apps must be a list');
    (Array.isArray(c.apps) ? c.apps : []).forEach((a: any, j: number) => {
      const ap = [...at, 'apps', j];
      if (!isMap(a)) {
        p(ap, 'each app must be a mapping');
        return;
      }
      for (const k of Object.keys(a))
        if (!APP_KEYS.includes(k))
          p(
            [...ap, k],
            `unknown app key "${k}" (expected one of: ${APP_KEYS.join(', ')})`,
          );
      if (typeof a.name !== 'string' || !DNS_LABEL.test(a.name))
        p(
          a.name === undefined ? ap : [...ap, 'name'],
          'app "name" is required and must be a DNS label',
        );
      if (
        a.kind !== undefined &&
        !['Deployment', 'Rollout', 'StatefulSet'].includes(a.kind)
      )
        p(
          [...ap, 'kind'],
          `app kind must be Deployment, Rollout or StatefulSet, not "${a.kind}"`,
        );
      if (a.kind === 'Rollout' && !(c.addons ?? []).includes('argo-rollouts'))
        p(
          [...ap, 'kind'],
          'kind Rollout needs the "argo-rollouts" addon on this cluster',
        );
      if (
        a.replicas !== undefined &&
        (!Number.isInteger(a.replicas) || a.replicas < 0)
      )
        p([...ap, 'replicas'], 'replicas must be a non-negative integer');
      if (
        a.update !== undefined &&
        (!isMap(a.update) ||
          typeof a.update.image !== 'string' ||
          parseDurationSeconds(a.update.at) === undefined)
      )
        p([...ap, 'update'], 'update needs "image" and "at" (a duration)');
    });
    if (c.objects !== undefined && !Array.isArray(c.objects))
      p([...at, 'objects'], 'objects must be a list');
    (Array.isArray(c.objects) ? c.objects : []).forEach((o: any, j: number) => {
      const op = [...at, 'objects', j];
      if (!isMap(o)) {
        p(op, 'each object must be a mapping');
        return;
      }
      if (typeof o.apiVersion !== 'string')
        p(op, 'object is missing "apiVersion"');
      else if (typeof o.kind !== 'string') p(op, 'object is missing "kind"');
      else if (!isMap(o.metadata) || typeof o.metadata.name !== 'string')
        p(
          isMap(o.metadata) ? [...op, 'metadata'] : op,
          `${o.kind} is missing metadata.name`,
        );
    });
  });
  (s.timeline ?? []).forEach((t: any, i: number) => {
    const at = ['timeline', i];
    if (!isMap(t)) {
      p(at, 'each timeline entry must be a mapping');
      return;
    }
    if (parseDurationSeconds(t.at) === undefined)
      p(
        t.at === undefined ? at : [...at, 'at'],
        'timeline "at" must be a duration (e.g. 30s, 5m)',
      );
    if (!names.has(t.cluster))
      p(
        t.cluster === undefined ? at : [...at, 'cluster'],
        `timeline entry names unknown cluster "${t.cluster}"`,
      );
    const actions = ['apply', 'patch', 'delete', 'fault'].filter(
      k => t[k] !== undefined,
    );
    if (actions.length !== 1)
      p(
        at,
        'a timeline entry needs exactly one of apply, patch, delete, fault',
      );
  });
  const m = s.metrics;
  if (m !== undefined) {
    if (!isMap(m)) p(['metrics'], 'metrics must be a mapping');
    else {
      (m.services ?? []).forEach((sv: any, i: number) => {
        if (
          !isMap(sv) ||
          !names.has(sv.cluster) ||
          typeof sv.service !== 'string' ||
          typeof sv.namespace !== 'string'
        ) {
          p(
            ['metrics', 'services', i],
            'a service series needs "cluster" (a scenario cluster), "namespace" and "service"',
          );
        } else if (
          sv.errorRatio !== undefined &&
          (typeof sv.errorRatio !== 'number' ||
            sv.errorRatio < 0 ||
            sv.errorRatio > 1)
        ) {
          p(
            ['metrics', 'services', i, 'errorRatio'],
            'errorRatio must be between 0 and 1',
          );
        }
      });
      (m.replication ?? []).forEach((r: any, i: number) => {
        if (
          !isMap(r) ||
          typeof r.stream !== 'string' ||
          typeof r.lagSeconds !== 'number' ||
          !names.has(r.cluster)
        ) {
          p(
            ['metrics', 'replication', i],
            'a replication series needs "stream", "cluster" (a scenario cluster) and numeric "lagSeconds"',
          );
        }
      });
    }
  }
  return problems;
}
