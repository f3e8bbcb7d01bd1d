import type { RevisionEntry } from '../model/history';
import type { RolloutView } from '../model/types';
import type { Precondition, RolloutAction } from './types';

const no = (reason: string): Precondition => ({ ok: false, reason });
const yes: Precondition = { ok: true };

function argo(
  action: RolloutAction,
  v: RolloutView,
  revision?: number,
  history: RevisionEntry[] = [],
): Precondition {
  const f = v.facts;
  const moving = v.phase === 'Progressing' || v.phase === 'Paused';
  switch (action) {
    case 'promote':
    case 'promote-full':
      if (f.abort) {
        return no(
          'the rollout is aborted: a promote would change nothing; retry it first',
        );
      }
      if (!moving) return no(`nothing to promote: the rollout is ${v.phase}`);
      if (
        action === 'promote-full' &&
        f.currentPodHash === f.stableRS &&
        !f.specPaused
      ) {
        return no('nothing to promote: the desired revision is already stable');
      }
      return yes;
    case 'abort':
      if (f.abort) return no('the rollout is already aborted');
      if (!moving)
        return no(
          `only a progressing or paused rollout can be aborted; it is ${v.phase}`,
        );
      return f.promoteFull
        ? {
            ok: true,
            warning:
              'promote-full is set: Argo may ignore the abort while the canary is unhealthy (argo-rollouts#4461)',
          }
        : yes;
    case 'retry':
      return f.abort
        ? yes
        : no(`only an aborted rollout can be retried; it is ${v.phase}`);
    default:
      return common(action, v, revision, history);
  }
}

function common(
  action: RolloutAction,
  v: RolloutView,
  revision?: number,
  history: RevisionEntry[] = [],
): Precondition {
  switch (action) {
    case 'restart':
      return yes;
    case 'pause':
      if (v.kind === 'StatefulSet') return no('a StatefulSet cannot be paused');
      return v.facts.specPaused ? no('already paused') : yes;
    case 'resume':
      if (v.kind === 'StatefulSet')
        return no('a StatefulSet cannot be paused or resumed');
      return v.facts.specPaused
        ? yes
        : no('not paused by a person (spec.paused is false)');
    case 'undo': {
      if (v.kind === 'StatefulSet') {
        return no(
          'undo of a StatefulSet needs its ControllerRevisions, which Careplane does not read; use kubectl rollout undo',
        );
      }
      if (revision === undefined) return no('say which revision to undo to');
      const entry = history.find(h => h.revision === revision);
      if (!entry) {
        const known = history.map(h => h.revision).join(', ') || 'none';
        return no(
          `revision ${revision} is not in the history (known revisions: ${known})`,
        );
      }
      if (entry.current)
        return no(`revision ${revision} is the current revision`);
      const names = (imgs: string[]) =>
        imgs
          .map(i => i.split('=')[0])
          .sort()
          .join(',');
      if (names(entry.images) !== names(v.images)) {
        return no(
          `revision ${revision} runs other containers (${names(
            entry.images,
          )}) than now (${names(v.images)}); undo it with kubectl`,
        );
      }
      return yes;
    }
    default:
      return no(
        `${action} applies to Argo Rollouts only; ${v.kind} ${v.name} is not one`,
      );
  }
}

function flagger(action: RolloutAction, v: RolloutView): Precondition {
  switch (action) {
    case 'promote':
      return no(
        'Flagger has no step promotion: use promote full (sets spec.skipAnalysis) or open the confirm-promotion gate of the load tester',
      );
    case 'promote-full':
      if (v.facts.promoteFull) return no('spec.skipAnalysis is already set');
      return v.phase === 'Progressing' || v.phase === 'Paused'
        ? yes
        : no(`nothing to promote: the canary is ${v.phase}`);
    case 'abort':
      return no(
        'Flagger rolls back through its rollback webhook (load tester /rollback/open), which Careplane cannot reach',
      );
    case 'retry':
      return v.phase === 'Degraded'
        ? yes
        : no(`only a failed canary can be retried; it is ${v.phase}`);
    case 'restart':
      return yes;
    default:
      return no(`${action} does not apply to a Flagger Canary`);
  }
}

/**
 * Whether an action may be taken on a release now (the rules of Argo's `rollout-actions.tsx`
 * plus: no promote on an aborted rollout, retry only when aborted, a warning for abort after
 * promote-full). `revision` and `history` are for `undo`.
 * @public
 */
export function checkPrecondition(
  action: RolloutAction,
  view: RolloutView,
  options: { revision?: number; history?: RevisionEntry[] } = {},
): Precondition {
  if (view.kind === 'Rollout')
    return argo(action, view, options.revision, options.history);
  if (view.kind === 'Canary') return flagger(action, view);
  if (
    action === 'promote' ||
    action === 'promote-full' ||
    action === 'abort' ||
    action === 'retry'
  ) {
    return no(
      `${action} applies to Argo Rollouts and Flagger Canaries; ${view.kind} ${view.name} rolls out by itself`,
    );
  }
  return common(action, view, options.revision, options.history);
}
