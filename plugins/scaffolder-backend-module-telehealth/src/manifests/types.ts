import type { KubeObject } from '@careplane/plugin-clusters-common';

/** What a telehealth service does; recorded as a label and in the catalog. @public */
export const SERVICE_KINDS = [
  'video',
  'session',
  'records',
  'scheduling',
  'prescribing',
  'triage',
  'other',
] as const;

/** @public */
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** How new versions roll out. @public */
export const ROLLOUT_STRATEGIES = ['rolling', 'canary', 'blue-green'] as const;

/** @public */
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];

/** @public */
export const DATA_CLASSIFICATIONS = ['phi', 'internal', 'public'] as const;

/**
 * Everything the renderer needs, after defaults are applied.
 * @public
 */
export interface ServiceParameters {
  name: string;
  /** Namespace; defaults to the name (one namespace per service, DEMO-WORLD convention). */
  namespace: string;
  owner: string;
  system: string;
  serviceKind: ServiceKind;
  dataClassification: 'phi' | 'internal' | 'public';
  strategy: RolloutStrategy;
  /** Canary weights in percent, each followed by a pause (the first one waits for a human). */
  canaryWeights: number[];
  sloAvailability: number;
  sloLatencyP99Ms?: number;
  minReplicas: number;
  maxReplicas: number;
  pdbMinAvailable: number;
  port: number;
  image: string;
  cpuRequest: string;
  memoryRequest: string;
  cpuLimit: string;
  memoryLimit: string;
  /** Services this one calls, `name` or `name:port` (namespace = name). */
  dependencies: string[];
  /** `service` renders everything; `namespace` only the namespace guard rails. */
  scope: 'service' | 'namespace';
}

/**
 * Platform settings that shape the manifests (from config).
 * @public
 */
export interface RenderSettings {
  mesh: 'linkerd' | 'istio' | 'none';
  gatewayNamespace: string;
  meshNamespace: string;
}

/** A rendered object and the file it is written to. @public */
export interface RenderedManifest {
  path: string;
  object: KubeObject;
}
