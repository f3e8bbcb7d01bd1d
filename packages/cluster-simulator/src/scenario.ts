import { readFileSync } from 'node:fs';
import {
  Document,
  isMap as isYamlMap,
  isScalar,
  LineCounter,
  parseDocument,
} from 'yaml';
import type { SimNode, SimUser } from './cluster';
import { KNOWN_CRDS } from './resources';
import { K8sObject, parseDurationSeconds } from './util';
import type { FaultConfig } from './faults';

/** A compact description of a service, expanded into realistic objects. */
export interface AppSpec {
  name: string;
  namespace?: string;
  kind?: 'Deployment' | 'Rollout' | 'StatefulSet';
  replicas?: number;
  image?: string;
  /** Extra labels on every object of the app. */
  labels?: Record<string, string>;
  /** `phi`, `internal` or `public` (label careplane.io/data-classification). */
  dataClassification?: string;
  /** When false, the app violates common checks (root, no NetworkPolicy, no PDB, token automount). */
  compliant?: boolean;
  /** Argo Rollouts strategy (`canary` or `blueGreen`) when kind is Rollout; Deployment strategy otherwise. */
  strategy?: any;
  /** Pod template annotations (e.g. sim.careplane.io/ready-after-seconds). */
  podAnnotations?: Record<string, string>;
  /** Whether to create an HPA (default: compliant). */
  hpa?: boolean;
  /** Schedules an image update: the workload's image changes at `at` (seconds or duration). */
  update?: {
    image: string;
    at: string | number;
    podAnnotations?: Record<string, string>;
  };
  /** Whether to create the namespace (default true). */
  createNamespace?: boolean;
}

/** One simulated cluster in a scenario. */
export interface ClusterScenario {
  name: string;
  /** Listening port (0 or absent: ephemeral). */
  port?: number;
  token?: string;
  users?: SimUser[];
  nodes?: SimNode[];
  /** Add-ons whose CRDs are installed: see KNOWN_CRDS. */
  addons?: string[];
  podReadySeconds?: number;
  historyLimit?: number;
  events?: boolean;
  apps?: AppSpec[];
  objects?: K8sObject[];
  faults?: FaultConfig;
}

/** A change applied at a simulated time after start. */
export interface TimelineEntry {
  at: string | number;
  cluster: string;
  apply?: K8sObject;
  patch?: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
    subresource?: string;
    merge: any;
  };
  delete?: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  };
  fault?: FaultConfig;
}

/** Series definitions for the Prometheus-compatible endpoint. */
export interface MetricsScenario {
  services?: Array<{
    cluster: string;
    namespace: string;
    service: string;
    /** Requests per second. */
    rps?: number;
    /** Fraction of requests answered 5xx. */
    errorRatio?: number;
    /** Median latency in ms. */
    latencyMs?: number;
  }>;
  replication?: Array<{
    stream: string;
    cluster: string;
    namespace: string;
    source: string;
    target: string;
    lagSeconds: number;
    jitterSeconds?: number;
  }>;
}

/** A whole scenario (what a scenario YAML file holds). */
export interface Scenario {
  seed?: number;
  speed?: number;
  /** Fixed simulated start time (ISO); default: now minus warmup. */
  startTime?: string;
  /** Simulated time run before serving, so the world is mid-story at start. */
  warmup?: string | number;
  /** Port of the control / Prometheus API. */
  controlPort?: number;
  host?: string;
  clusters: ClusterScenario[];
  timeline?: TimelineEntry[];
  metrics?: MetricsScenario;
  /** Where the scenario came from (for messages). */
  source?: string;
}

/** A scenario problem with file, line and column. */
export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}:${column}: ${problem}`);
    this.name = 'ScenarioError';
  }
}

type Path = Array<string | number>;
interface Problem {
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

function positionOf(
  doc: Document,
  counter: LineCounter,
  path: Path,
): { line: number; col: number } {
  // Point at the key of a mapping entry when the path ends in one.
  if (path.length > 0 && typeof path[path.length - 1] === 'string') {
    const parent: any =
      path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    const pair = isYamlMap(parent)
      ? parent.items.find(
          (it: any) =>
            isScalar(it.key) && it.key.value === path[path.length - 1],
        )
      : undefined;
    const range = (pair?.key as any)?.range;
    if (range) {
      const pos = counter.linePos(range[0]);
      return { line: pos.line, col: pos.col };
    }
  }
  for (let n = path.length; n >= 0; n--) {
    const node: any =
      n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (node && node.range) {
      const pos = counter.linePos(node.range[0]);
      return { line: pos.line, col: pos.col };
    }
  }
  return { line: 1, col: 1 };
}

/** A parsed scenario plus a way to locate any path of it in its file. */
export interface LoadedScenario {
  scenario: Scenario;
  locate(path: Path): { line: number; col: number };
}

/** Parses and validates scenario YAML text; throws ScenarioError with file:line:col. */
export function parseScenario(
  text: string,
  file = '<scenario>',
): LoadedScenario {
  const counter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: counter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const pos = err.linePos?.[0] ?? { line: 1, col: 1 };
    throw new ScenarioError(
      file,
      pos.line,
      pos.col,
      `invalid YAML: ${err.message.split('\n')[0]}`,
    );
  }
  const value = doc.toJS({ maxAliasCount: 1000 });
  const problems = validateScenario(value);
  if (problems.length > 0) {
    const first = problems[0];
    const pos = positionOf(doc, counter, first.path);
    throw new ScenarioError(file, pos.line, pos.col, first.message);
  }
  return {
    scenario: { ...(value as Scenario), source: file },
    locate: path => positionOf(doc, counter, path),
  };
}

/** Reads a scenario file (YAML). Errors name the file, line and problem. */
export function loadScenarioFile(path: string): Scenario {
  return loadScenarioFileWithPositions(path).scenario;
}

/** Like loadScenarioFile, keeping positions for errors found later (e.g. invalid objects). */
export function loadScenarioFileWithPositions(path: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ScenarioError(
      path,
      1,
      1,
      `cannot read scenario file: ${(e as Error).message}`,
    );
  }
  return parseScenario(text, path);
}
