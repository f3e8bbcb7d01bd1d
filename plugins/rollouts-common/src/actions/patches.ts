import type { KubeObject } from '@careplane/plugin-clusters-common';
import type { RevisionEntry } from '../model/history';
import type { PlannedPatch, RolloutAction } from './types';

/** The template annotation `kubectl rollout restart` sets (objectrestarter.go). */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

function target(obj: KubeObject, kind: string) {
  return {
    kind,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
  };
}

function argoPromote(ro: KubeObject): PlannedPatch[] {
  const out: PlannedPatch[] = [];
  const status = ro.status ?? {};
  const steps: any[] = ro.spec?.strategy?.canary?.steps ?? [];
  const canary = !ro.spec?.strategy?.blueGreen;
  const index: number = status.currentStepIndex ?? 0;
  const next = Math.min(index + 1, steps.length);
  const pauses: any[] = status.pauseConditions ?? [];
  const inconclusive = pauses.some(p => p.reason === 'InconclusiveAnalysisRun');
  let statusPatch: Record<string, unknown>;
  if (canary && inconclusive && status.controllerPause) {
    statusPatch = {
      status: {
        pauseConditions: null,
        controllerPause: false,
        currentStepIndex: next,
      },
    };
  } else if (pauses.length > 0 || !canary || steps.length === 0) {
    statusPatch = { status: { pauseConditions: null } };
  } else {
    statusPatch = { status: { pauseConditions: null, currentStepIndex: next } };
  }
  out.push({
    ...target(ro, 'Rollout'),
    subresource: 'status',
    patchType: 'merge',
    patch: statusPatch,
  });
  if (ro.spec?.paused) {
    out.push({
      ...target(ro, 'Rollout'),
      patchType: 'merge',
      patch: { spec: { paused: false } },
    });
  }
  return out;
}

function argoPromoteFull(ro: KubeObject): PlannedPatch[] {
  const out: PlannedPatch[] = [];
  if (ro.spec?.paused) {
    out.push({
      ...target(ro, 'Rollout'),
      patchType: 'merge',
      patch: { spec: { paused: false } },
    });
  }
  if (ro.status?.currentPodHash !== ro.status?.stableRS) {
    out.push({
      ...target(ro, 'Rollout'),
      subresource: 'status',
      patchType: 'merge',
      patch: { status: { promoteFull: true } },
    });
  }
  return out;
}

function templateRestart(
  obj: KubeObject,
  kind: string,
  name: string,
  now: string,
): PlannedPatch {
  return {
    kind,
    namespace: obj.metadata.namespace ?? '',
    name,
    patchType: 'merge',
    patch: {
      spec: {
        template: {
          metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: now } },
        },
      },
    },
  };
}

/**
 * Undo as image replacements: the cache never holds env values (the hub strips them), so sending
 * a revision's whole template back (`replace /spec/template`, as kubectl does) would wipe every
 * env value of the workload. Only the images of the revision are restored, container by container.
 */
function undo(
  obj: KubeObject,
  kind: string,
  entry: RevisionEntry,
): PlannedPatch[] {
  const containers: any[] = obj.spec?.template?.spec?.containers ?? [];
  const want = new Map(
    entry.images.map(i => {
      const at = i.indexOf('=');
      return [i.slice(0, at), i.slice(at + 1)] as const;
    }),
  );
  const ops = containers.flatMap((c, i) =>
    want.has(c.name) && want.get(c.name) !== c.image
      ? [
          {
            op: 'replace',
            path: `/spec/template/spec/containers/${i}/image`,
            value: want.get(c.name),
          },
        ]
      : [],
  );
  return ops.length
    ? [{ ...target(obj, kind), patchType: 'json', patch: ops }]
    : [];
}

/**
 * The exact requests of an action (reference §1.5), in the order they are sent. Call only after
 * `checkPrecondition` allowed it. `now` is the RFC 3339 time for restarts; `entry` the revision
 * for `undo`.
 * @public
 */
export function planPatches(
  action: RolloutAction,
  kind: string,
  obj: KubeObject,
  options: { now: string; entry?: RevisionEntry },
): PlannedPatch[] {
  if (kind === 'Rollout') {
    switch (action) {
      case 'promote':
        return argoPromote(obj);
      case 'promote-full':
        return argoPromoteFull(obj);
      case 'abort':
        return [
          {
            ...target(obj, kind),
            subresource: 'status',
            patchType: 'merge',
            patch: { status: { abort: true } },
          },
        ];
      case 'retry':
        return [
          {
            ...target(obj, kind),
            subresource: 'status',
            patchType: 'merge',
            patch: { status: { abort: false } },
          },
        ];
      case 'restart':
        return [
          {
            ...target(obj, kind),
            patchType: 'merge',
            patch: { spec: { restartAt: options.now } },
          },
        ];
      default:
        break;
    }
  }
  if (kind === 'Canary') {
    const t = obj.spec?.targetRef?.name ?? '';
    switch (action) {
      case 'promote-full':
        return [
          {
            ...target(obj, kind),
            patchType: 'merge',
            patch: { spec: { skipAnalysis: true } },
          },
        ];
      case 'retry':
      case 'restart':
        return [templateRestart(obj, 'Deployment', t, options.now)];
      default:
        return [];
    }
  }
  switch (action) {
    case 'restart':
      return [templateRestart(obj, kind, obj.metadata.name, options.now)];
    case 'pause':
      return [
        {
          ...target(obj, kind),
          patchType: 'merge',
          patch: { spec: { paused: true } },
        },
      ];
    case 'resume':
      return [
        {
          ...target(obj, kind),
          patchType: 'merge',
          patch: { spec: { paused: false } },
        },
      ];
    case 'undo':
      return options.entry ? undo(obj, kind, options.entry) : [];
    default:
      return [];
  }
}
