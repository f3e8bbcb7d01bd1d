import type { KubeObject } from '@careplane/plugin-clusters-common';
import { RelatedObjects, rolePods, templateImages, noFacts } from './common';
import type { RolloutPhase, RolloutView } from './types';

/** Rule E: Flagger's state-machine phases in the common vocabulary. */
export const FLAGGER_PHASES: Record<string, RolloutPhase> = {
  Initialized: 'Healthy',
  Succeeded: 'Healthy',
  Initializing: 'Progressing',
  Progressing: 'Progressing',
  Promoting: 'Progressing',
  Finalising: 'Progressing',
  Waiting: 'Paused',
  WaitingPromotion: 'Paused',
  Failed: 'Degraded',
  Terminating: 'Unknown',
  Terminated: 'Unknown',
};

const WORDS: Record<string, string> = {
  Initialized: 'initialised; the primary serves all traffic',
  Succeeded: 'promoted; the primary serves all traffic',
  Initializing: 'creating the primary deployment',
  Progressing: 'shifting traffic to the canary while the analysis passes',
  Promoting: 'copying the canary spec to the primary',
  Finalising: 'routing all traffic back to the primary',
  Waiting: 'waiting for the confirm-rollout gate to open',
  WaitingPromotion: 'waiting for the confirm-promotion gate to open',
  Failed:
    'rolled back: failed checks reached the threshold or the progress deadline passed',
  Terminating: 'being deleted',
  Terminated: 'deleted',
};

/** The model of a Flagger `Canary` (rule E; weights from `status.canaryWeight`). */
export function deriveFlaggerCanary(
  canary: KubeObject,
  related: RelatedObjects = {},
): RolloutView {
  const spec = canary.spec ?? {};
  const status = canary.status ?? {};
  const controllerPhase: string = status.phase ?? '';
  const phase: RolloutPhase = FLAGGER_PHASES[controllerPhase] ?? 'Unknown';
  const analysis = spec.analysis ?? spec.canaryAnalysis ?? {};
  const stepWeights: number[] | undefined = Array.isArray(analysis.stepWeights)
    ? analysis.stepWeights
    : undefined;
  const maxWeight: number = stepWeights
    ? stepWeights[stepWeights.length - 1] ?? 100
    : analysis.maxWeight ?? 100;
  const stepWeight: number = analysis.stepWeight ?? 0;
  const weight: number = status.canaryWeight ?? 0;
  let total = 0;
  let index = 0;
  if (stepWeights) {
    total = stepWeights.length;
    index = stepWeights.filter(w => w <= weight).length;
  } else if (stepWeight > 0) {
    total = Math.ceil(maxWeight / stepWeight);
    index = Math.floor(weight / stepWeight);
  }
  const targetName = spec.targetRef?.name;
  const deployments = related.deployments ?? [];
  const target = deployments.find(d => d.metadata.name === targetName);
  const primary = deployments.find(
    d => d.metadata.name === `${targetName}-primary`,
  );
  const failedChecks: number = status.failedChecks ?? 0;
  const threshold: number | undefined = analysis.threshold;
  const paused = phase === 'Paused';
  const words =
    WORDS[controllerPhase] ?? `phase ${controllerPhase || 'not reported yet'}`;
  const checks =
    phase === 'Progressing' && threshold !== undefined
      ? `, ${failedChecks} of ${threshold} failed checks`
      : '';
  const weightText =
    phase === 'Progressing' || paused ? ` at weight ${weight}%` : '';
  return {
    kind: 'Canary',
    namespace: canary.metadata.namespace ?? '',
    name: canary.metadata.name,
    phase,
    message: `${phase}: ${words}${weightText}${checks}`,
    controllerPhase: controllerPhase || undefined,
    strategy: 'flagger',
    revision: status.lastAppliedSpec,
    images: templateImages(target?.spec?.template),
    step: total > 0 ? { index: Math.min(index, total), total } : undefined,
    weights: { set: weight, actual: weight },
    pause: paused
      ? {
          reason: controllerPhase,
          since: status.lastTransitionTime,
          needsHuman: true,
        }
      : undefined,
    degradedReason: phase === 'Degraded' ? 'Failed' : undefined,
    pods: [
      rolePods('primary', primary),
      ...(target && (target.status?.replicas ?? 0) > 0
        ? [rolePods('canary', target)]
        : []),
    ],
    analysis: [],
    lastTransition: status.lastTransitionTime,
    waitingForHuman: paused || phase === 'Degraded',
    facts: {
      ...noFacts,
      specPaused: false,
      promoteFull: Boolean(spec.skipAnalysis),
    },
  };
}
