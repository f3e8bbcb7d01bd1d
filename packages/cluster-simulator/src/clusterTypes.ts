/** Options and collaborators of a SimulatedCluster. */

/** The simulated clock shared by every cluster of a simulation. */
export interface SimClock {
  /** Simulated time in epoch milliseconds. */
  now(): number;
}

/** A bearer token and what it may do. */
export interface SimUser {
  token: string;
  name: string;
  /** Allowed verbs (get, list, watch, create, update, patch, delete, deletecollection); all if absent. */
  verbs?: string[];
  /** Allowed resources as `plural` or `plural.group`, with `*` for any; all if absent. */
  resources?: string[];
  /** Allowed namespaces; all if absent. */
  namespaces?: string[];
}

/** A node of the simulated cluster. */
export interface SimNode {
  name: string;
  labels?: Record<string, string>;
  cpu?: string;
  memory?: string;
  gpus?: number;
  gpuProduct?: string;
  taints?: Array<{ key: string; value?: string; effect: string }>;
}

/** Options for one simulated cluster. */
export interface ClusterOptions {
  name: string;
  token: string;
  users?: SimUser[];
  seed: number;
  clock: SimClock;
  /** Seconds from container start until a pod is Ready (default 3). */
  podReadySeconds?: number;
  historyLimit?: number;
  /** Upper bound on stored Events (oldest are deleted first). */
  maxEvents?: number;
  /** Whether controllers record Events (default true). */
  events?: boolean;
  nodes?: SimNode[];
  /** Kubernetes version shown in `/version` and on nodes (default v1.32.4). */
  version?: string;
}
