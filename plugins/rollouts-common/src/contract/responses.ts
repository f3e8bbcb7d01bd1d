import type { ClusterResultStatus } from '@careplane/plugin-clusters-common';
import type { BudgetVerdict } from '../budget';
import type { RevisionEntry } from '../model/history';
import type { WaitingState } from '../model/derive';
import type { RolloutPhase, RolloutView } from '../model/types';
import type { SloSpec } from '../slo';
import type { RolloutAction } from '../actions/types';

/**
 * One action as offered on a release: whether it is valid now, and why not.
 * @public
 */
export interface ActionAvailability {
  action: RolloutAction;
  valid: boolean;
  reason?: string;
  warning?: string;
}

/**
 * A release on one cluster with its history and the actions valid now (the caller's permission
 * is checked by the client with `usePermission`, and by the backend on every action).
 * @public
 */
export interface ClusterRollout extends RolloutView {
  cluster: string;
  history: RevisionEntry[];
  actions: ActionAvailability[];
}

/**
 * One cluster's releases of an entity.
 * @public
 */
export interface ClusterRollouts {
  cluster: string;
  status: ClusterResultStatus;
  error?: string;
  rollouts: ClusterRollout[];
}

/**
 * Answer of `GET /v1/entities/:kind/:namespace/:name/rollouts`.
 * @public
 */
export interface EntityRolloutsResponse {
  entityRef: string;
  clusters: ClusterRollouts[];
}

/**
 * One release waiting for a person (fleet query).
 * @public
 */
export interface WaitingItem {
  cluster: string;
  /** The owning entity, when one in the catalog claims the object's `backstage.io/kubernetes-id`. */
  entityRef?: string;
  /** The entity's owner (team). */
  owner?: string;
  kubernetesId: string;
  kind: string;
  namespace: string;
  name: string;
  state: WaitingState;
  phase: RolloutPhase;
  message: string;
  /** Since when it waits (pause start or last transition). */
  since?: string;
  ageSeconds?: number;
}

/**
 * Answer of `GET /v1/waiting`.
 * @public
 */
export interface WaitingResponse {
  items: WaitingItem[];
  clusters: Array<{ cluster: string; status: ClusterResultStatus }>;
}

/**
 * Per-cluster error-budget gate.
 * @public
 */
export interface ClusterGate extends BudgetVerdict {
  cluster: string;
  /** Error ratio per window (seconds → ratio), for the chart. */
  errorRatios: Array<{ windowSeconds: number; errorRatio?: number }>;
}

/**
 * Answer of `GET /v1/entities/:kind/:namespace/:name/gate`.
 * @public
 */
export interface GateResponse {
  entityRef: string;
  slo?: SloSpec;
  /** Why the SLO annotation could not be used (the gate is then not evaluated). */
  sloError?: string;
  clusters: ClusterGate[];
}

/**
 * One request an action sent, with its audit id.
 * @public
 */
export interface SentPatch {
  kind: string;
  name: string;
  subresource?: 'status';
  patchType: 'merge' | 'json';
  auditId: string;
}

/**
 * Answer of an action.
 * @public
 */
export interface ActionResponse {
  action: RolloutAction;
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  patches: SentPatch[];
  /** The gate as evaluated for a promote. */
  gate?: ClusterGate;
  /** The gate refused and an owner overrode it. */
  overridden: boolean;
  warnings: string[];
}
