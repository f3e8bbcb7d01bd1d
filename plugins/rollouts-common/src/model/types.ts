/*
 * The normalised rollout model (reference §1.4-G): one shape for Argo Rollouts (canary and
 * blue-green), Flagger Canaries, Deployments and StatefulSets, so one component renders them all.
 */

/**
 * What a release is doing, in the suite's words. `Aborted` is Argo's `Degraded` after an abort (by
 * a person or by failed analysis); `Unknown` when the object cannot be read (e.g. a StatefulSet
 * with `OnDelete`).
 * @public
 */
export type RolloutPhase =
  | 'Healthy'
  | 'Progressing'
  | 'Paused'
  | 'Degraded'
  | 'Aborted'
  | 'Unknown';

/**
 * The kinds the model covers.
 * @public
 */
export type RolloutKind = 'Rollout' | 'Canary' | 'Deployment' | 'StatefulSet';

/**
 * How the release moves.
 * @public
 */
export type RolloutStrategy =
  | 'canary'
  | 'blueGreen'
  | 'flagger'
  | 'rollingUpdate'
  | 'recreate'
  | 'onDelete';

/**
 * Why a release is degraded.
 * @public
 */
export type DegradedReason =
  | 'Aborted'
  | 'TimedOut'
  | 'InvalidSpec'
  | 'AnalysisFailed'
  | 'Failed';

/**
 * A pause, with who must act.
 * @public
 */
export interface RolloutPause {
  /** `CanaryPauseStep`, `BlueGreenPause`, `InconclusiveAnalysisRun`, `InconclusiveExperiment`, `ManualPause` (spec.paused), or a Flagger phase (`Waiting`, `WaitingPromotion`). */
  reason: string;
  /** ISO time the pause began, when known. */
  since?: string;
  /** A person must act (indefinite step pause, blue-green without auto-promotion, inconclusive analysis, manual pause, Flagger gate). */
  needsHuman: boolean;
}

/**
 * Pods (replica counts) behind one role of a release.
 * @public
 */
export interface RolePods {
  role:
    | 'stable'
    | 'canary'
    | 'preview'
    | 'active'
    | 'primary'
    | 'updated'
    | 'old';
  /** Pod-template hash or revision, when known. */
  revision?: string;
  replicas: number;
  ready: number;
  available: number;
}

/**
 * One measurement of an analysis metric.
 * @public
 */
export interface AnalysisMeasurement {
  phase: string;
  value?: string;
  finishedAt?: string;
}

/**
 * Results of one metric of an analysis run.
 * @public
 */
export interface AnalysisMetricResult {
  name: string;
  phase: string;
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  message?: string;
  measurements: AnalysisMeasurement[];
}

/**
 * An Argo AnalysisRun as the model shows it.
 * @public
 */
export interface AnalysisResult {
  name: string;
  /** Pending | Running | Successful | Failed | Error | Inconclusive */
  phase: string;
  message?: string;
  startedAt?: string;
  metrics: AnalysisMetricResult[];
}

/**
 * What the action preconditions read, kept in the model so that the browser and the backend
 * decide on the same facts.
 * @public
 */
export interface RolloutFacts {
  /** `status.abort` (Argo). */
  abort: boolean;
  /** `status.promoteFull` (Argo). */
  promoteFull: boolean;
  /** `spec.paused` (Argo, Deployment). */
  specPaused: boolean;
  /** `status.controllerPause` (Argo). */
  controllerPause: boolean;
  /** Argo `status.currentPodHash` / `status.stableRS`. */
  currentPodHash?: string;
  stableRS?: string;
  /** `status.currentStepIndex` (Argo). */
  currentStepIndex?: number;
  /** Steps of the canary (Argo). */
  stepCount: number;
  /** The current step is an analysis step (Argo). */
  analysisStepRunning: boolean;
  /** An inconclusive analysis paused the rollout. */
  inconclusive: boolean;
  /** The controller has observed the latest spec. */
  generationObserved: boolean;
}

/**
 * One release on one cluster, normalised.
 * @public
 */
export interface RolloutView {
  kind: RolloutKind;
  namespace: string;
  name: string;
  phase: RolloutPhase;
  /** The phase in words, e.g. "Paused at step 1 of 6: waiting for a person to promote (CanaryPauseStep)". */
  message: string;
  /** The controller's own phase / status word, when it has one (Argo `status.phase`, Flagger `status.phase`). */
  controllerPhase?: string;
  strategy: RolloutStrategy;
  /** Revision of the desired pod template (Argo / Deployment revision annotation, StatefulSet updateRevision). */
  revision?: string;
  /** Images of the desired pod template, `container=image`. */
  images: string[];
  step?: { index: number; total: number; description?: string };
  weights?: { set?: number; actual?: number };
  pause?: RolloutPause;
  degradedReason?: DegradedReason;
  pods: RolePods[];
  analysis: AnalysisResult[];
  /** Last transition (latest condition change or Flagger `lastTransitionTime`). */
  lastTransition?: string;
  /** A person must act: paused for a human, degraded, aborted, inconclusive analysis, deadline exceeded. */
  waitingForHuman: boolean;
  facts: RolloutFacts;
}
