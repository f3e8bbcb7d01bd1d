import { readFileSync } from 'node:fs';
import {
  Document,
  isMap as isYamlMap,
  isScalar,
  LineCounter,
  parseDocument,
} from 'yaml';
import type { SimNode, SimUser } from './cluster';
import { Path, validateScenario } from './scenarioValidation';
import { K8sObject } from './util';
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

export { validateScenario };

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
