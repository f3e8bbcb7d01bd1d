import { K8sObject, fnv32, parseDurationSeconds, templateHash } from '../util';
import {
  annotationSeconds,
  Ctl,
  getCondition,
  iso,
  ownedBy,
  ownerRef,
  setCondition,
  SIM,
} from './context';
import { createReplicaSet, scaleReplicaSet } from './workloads';

const HASH_LABEL = 'rollouts-pod-template-hash';
const REV_ANN = 'rollout.argoproj.io/revision';

/**
 * Argo Rollouts' own phase rule (CalculateRolloutPhase in
 * utils/rollout/rolloututil.go), evaluated on the status the controller
 * just computed.
 */
export function calculateRolloutPhase(
  spec: any,
  status: any,
): { phase: string; message: string } {
  const conds: any[] = status.conditions ?? [];
  const invalid = conds.find(c => c.type === 'InvalidSpec');
  if (invalid)
    return { phase: 'Degraded', message: `InvalidSpec: ${invalid.message}` };
  const bad = conds.find(
    c =>
      c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded',
  );
  if (bad)
    return { phase: 'Degraded', message: `${bad.reason}: ${bad.message}` };
  if (spec.paused) return { phase: 'Paused', message: 'manually paused' };
  if ((status.pauseConditions ?? []).length > 0)
    return { phase: 'Paused', message: status.pauseConditions[0].reason };
  if (spec.restartAt && spec.restartAt !== status.restartedAt)
    return { phase: 'Progressing', message: 'rollout is restarting' };
  const replicas = spec.replicas ?? 1;
  if ((status.updatedReplicas ?? 0) < replicas)
    return {
      phase: 'Progressing',
      message: 'more replicas need to be updated',
    };
  if ((status.availableReplicas ?? 0) < (status.updatedReplicas ?? 0))
    return {
      phase: 'Progressing',
      message: 'updated replicas are still becoming available',
    };
  if (spec.strategy?.blueGreen) {
    if (
      !status.blueGreen?.activeSelector ||
      status.blueGreen.activeSelector !== status.currentPodHash
    ) {
      return {
        phase: 'Progressing',
        message: 'active service cutover pending',
      };
    }
    if (!status.stableRS || status.stableRS !== status.currentPodHash) {
      return {
        phase: 'Progressing',
        message: 'waiting for post-promotion verification to complete',
      };
    }
  } else {
    if (
      !spec.strategy?.canary?.trafficRouting &&
      (status.replicas ?? 0) > (status.updatedReplicas ?? 0)
    ) {
      return {
        phase: 'Progressing',
        message: 'old replicas are pending termination',
      };
    }
    if (!status.stableRS || status.stableRS !== status.currentPodHash) {
      return {
        phase: 'Progressing',
        message: 'waiting for all steps to complete',
      };
    }
  }
  return { phase: 'Healthy', message: '' };
}

function avail(rs: K8sObject | undefined): number {
  return rs?.status?.availableReplicas ?? 0;
}

function updateServiceSelector(
  ctl: Ctl,
  ns: string,
  service: string | undefined,
  hash: string,
) {
  if (!service) return;
  ctl.cluster.mutate('', 'Service', ns, service, s => {
    s.spec.selector = { ...s.spec.selector, [HASH_LABEL]: hash };
  });
}

/** The Argo Rollouts controller: canary steps, blue-green, promote / abort / retry. */
export function reconcileRollout(ctl: Ctl, ro: K8sObject): void {
  const { cluster, now } = ctl;
  const ns = ro.metadata.namespace!;
  const name = ro.metadata.name!;
  const nowIso = iso(now);
  const spec = ro.spec ?? {};
  const replicas: number = spec.replicas ?? 1;
  const hash = templateHash(spec.template);
  const status: any = JSON.parse(JSON.stringify(ro.status ?? {}));
  const rss = ownedBy(ctl, ro, 'apps', 'ReplicaSet');
  const byHash = (h: string | undefined) =>
    rss.find(r => r.metadata.labels?.[HASH_LABEL] === h);
  const maxRev = Math.max(
    0,
    ...rss.map(r => Number(r.metadata.annotations?.[REV_ANN] ?? 0)),
  );
  let rs = byHash(hash);
  if (!rs) {
    rs = createReplicaSet(ctl, ro, hash, HASH_LABEL, maxRev + 1, REV_ANN, 0);
    rss.push(rs);
    cluster.recordEvent(
      ro,
      'Normal',
      'RolloutUpdated',
      `Rollout updated to revision ${maxRev + 1}`,
      'rollouts-controller',
    );
  }
  const revision = rs.metadata.annotations?.[REV_ANN] ?? '1';
  const blueGreen = spec.strategy?.blueGreen;
  const canary = spec.strategy?.canary ?? (blueGreen ? undefined : {});
  const steps: any[] = canary?.steps ?? [];
  const events: Array<[string, string, string]> = [];

  if (status.currentPodHash !== hash) {
    // A new revision: restart the step pointer and clear pauses.
    const first = !status.stableRS;
    status.currentPodHash = hash;
    status.currentStepIndex = first ? steps.length : 0;
    status.pauseConditions = undefined;
    status.controllerPause = undefined;
    status.abort = undefined;
    status.abortedAt = undefined;
    status.promoteFull = undefined;
    status.conditions = setCondition(
      status.conditions,
      {
        type: 'Progressing',
        status: 'True',
        reason: 'ReplicaSetUpdated',
        message: `ReplicaSet "${rs.metadata.name}" is progressing.`,
      },
      nowIso,
      { lastUpdateTime: true },
    );
    if (first) status.stableRS = undefined;
  }
  if (status.abortedAt && !status.abort) {
    // Retry: the user cleared status.abort.
    status.abortedAt = undefined;
    status.currentStepIndex = 0;
    status.pauseConditions = undefined;
    status.controllerPause = undefined;
    status.conditions = setCondition(
      status.conditions,
      {
        type: 'Progressing',
        status: 'True',
        reason: 'RolloutRetry',
        message: `Retrying Rollout after abort`,
      },
      nowIso,
      { lastUpdateTime: true },
    );
    events.push(['Normal', 'RolloutRetry', 'Rollout is retried']);
  }
  const stable = status.stableRS ? byHash(status.stableRS) : undefined;
  const others = rss.filter(
    r =>
      r.metadata.labels?.[HASH_LABEL] !== hash &&
      r.metadata.labels?.[HASH_LABEL] !== status.stableRS,
  );
  for (const o of others) scaleReplicaSet(ctl, o, 0);

  if (!status.stableRS) {
    // First deployment: no steps, straight to full scale.
    scaleReplicaSet(ctl, rs, replicas);
    if (avail(rs) >= replicas) {
      status.stableRS = hash;
      if (blueGreen) {
        status.blueGreen = { activeSelector: hash, previewSelector: hash };
        updateServiceSelector(ctl, ns, blueGreen.activeService, hash);
        updateServiceSelector(ctl, ns, blueGreen.previewService, hash);
      }
    }
  } else if (status.stableRS === hash) {
    scaleReplicaSet(ctl, rs, replicas);
    status.currentStepIndex = steps.length || undefined;
    if (blueGreen)
      status.blueGreen = {
        ...status.blueGreen,
        activeSelector: hash,
        previewSelector: hash,
      };
  } else if (status.abort) {
    if (!status.abortedAt) {
      status.abortedAt = nowIso;
      events.push([
        'Warning',
        'RolloutAborted',
        `Rollout aborted update to revision ${revision}`,
      ]);
    }
    scaleReplicaSet(ctl, rs, 0);
    if (stable) scaleReplicaSet(ctl, stable, replicas);
    status.pauseConditions = undefined;
    status.controllerPause = undefined;
    status.conditions = setCondition(
      status.conditions,
      {
        type: 'Progressing',
        status: 'False',
        reason: 'RolloutAborted',
        message: `Rollout aborted update to revision ${revision}`,
      },
      nowIso,
      { lastUpdateTime: true },
    );
    if (blueGreen)
      status.blueGreen = {
        ...status.blueGreen,
        previewSelector: status.stableRS,
      };
  } else if (spec.paused) {
    // Manually paused: hold everything.
  } else if (blueGreen) {
    scaleReplicaSet(ctl, rs, blueGreen.previewReplicaCount ?? replicas);
    if (stable) scaleReplicaSet(ctl, stable, replicas);
    status.blueGreen = { ...status.blueGreen, previewSelector: hash };
    updateServiceSelector(ctl, ns, blueGreen.previewService, hash);
    const previewReady =
      avail(rs) >= (blueGreen.previewReplicaCount ?? replicas);
    const pauses: any[] = status.pauseConditions ?? [];
    let promote = !!status.promoteFull;
    if (previewReady && !promote) {
      if (
        blueGreen.autoPromotionEnabled === false ||
        blueGreen.autoPromotionSeconds !== undefined
      ) {
        if (pauses.length === 0 && !status.controllerPause) {
          status.pauseConditions = [
            { reason: 'BlueGreenPause', startTime: nowIso },
          ];
          status.controllerPause = true;
          events.push([
            'Normal',
            'RolloutPaused',
            'Rollout is paused (BlueGreenPause)',
          ]);
        } else if (pauses.length === 0 && status.controllerPause) {
          promote = true; // the user removed the pause condition
        } else if (
          blueGreen.autoPromotionEnabled !== false &&
          blueGreen.autoPromotionSeconds !== undefined
        ) {
          const since = Date.parse(pauses[0].startTime);
          if (now >= since + blueGreen.autoPromotionSeconds * 1000)
            promote = true;
          else ctl.wakeAt(since + blueGreen.autoPromotionSeconds * 1000);
        }
      } else {
        promote = true;
      }
    }
    if (previewReady && promote) {
      status.blueGreen = { activeSelector: hash, previewSelector: hash };
      updateServiceSelector(ctl, ns, blueGreen.activeService, hash);
      status.stableRS = hash;
      status.pauseConditions = undefined;
      status.controllerPause = undefined;
      status.promoteFull = undefined;
      scaleReplicaSet(ctl, rs, replicas);
      if (stable) scaleReplicaSet(ctl, stable, 0);
      events.push([
        'Normal',
        'RolloutCompleted',
        `Rollout completed update to revision ${revision} (${hash}): Completed blue-green update`,
      ]);
    }
  } else {
    // Canary.
    if (status.promoteFull) status.currentStepIndex = steps.length;
    let idx: number = status.currentStepIndex ?? 0;
    let weight = 0;
    for (let i = 0; i < Math.min(idx, steps.length); i++) {
      if (steps[i].setWeight !== undefined) weight = steps[i].setWeight;
    }
    while (idx < steps.length) {
      const step = steps[idx];
      if (step.setWeight !== undefined) {
        weight = step.setWeight;
        const want = Math.ceil((replicas * weight) / 100);
        scaleReplicaSet(ctl, rs, want);
        if (stable)
          scaleReplicaSet(
            ctl,
            stable,
            Math.max(replicas - (canary?.dynamicStableScale ? want : 0), 0),
          );
        const fresh = cluster.objectOf(
          'apps',
          'ReplicaSet',
          ns,
          rs.metadata.name!,
        );
        if (avail(fresh) >= want) {
          idx++;
          continue;
        }
        break;
      }
      if (step.pause !== undefined) {
        const pauses: any[] = status.pauseConditions ?? [];
        const duration =
          step.pause?.duration !== undefined
            ? parseDurationSeconds(step.pause.duration)
            : undefined;
        if (pauses.length === 0 && !status.controllerPause) {
          status.pauseConditions = [
            { reason: 'CanaryPauseStep', startTime: nowIso },
          ];
          status.controllerPause = true;
          events.push([
            'Normal',
            'RolloutPaused',
            'Rollout is paused (CanaryPauseStep)',
          ]);
          if (duration !== undefined) ctl.wakeAt(now + duration * 1000);
          break;
        }
        if (pauses.length === 0 && status.controllerPause) {
          // Promoted by a human (pauseConditions cleared).
          status.controllerPause = undefined;
          events.push(['Normal', 'RolloutResumed', 'Rollout is resumed']);
          idx++;
          continue;
        }
        if (duration !== undefined) {
          const since = Date.parse(pauses[0].startTime);
          if (now >= since + duration * 1000) {
            status.pauseConditions = undefined;
            status.controllerPause = undefined;
            idx++;
            continue;
          }
          ctl.wakeAt(since + duration * 1000);
        }
        break;
      }
      if (step.analysis !== undefined) {
        const arName = `${name}-${hash}-${revision}-${idx}`;
        let ar = cluster.objectOf('argoproj.io', 'AnalysisRun', ns, arName);
        if (!ar) {
          ar = cluster.writeInternal(
            {
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'AnalysisRun',
              metadata: {
                name: arName,
                namespace: ns,
                labels: {
                  [HASH_LABEL]: hash,
                  'rollout-type': 'Step',
                  'step-index': String(idx),
                },
                annotations: {
                  [REV_ANN]: revision,
                  ...Object.fromEntries(
                    Object.entries(
                      spec.template?.metadata?.annotations ?? {},
                    ).filter(([k]) => k.startsWith('sim.careplane.io/')),
                  ),
                },
                ownerReferences: [ownerRef(ro)],
              },
              spec: {
                metrics: (
                  step.analysis.templates ?? [{ templateName: 'success-rate' }]
                ).map((t: any) => ({
                  name: t.templateName,
                  interval: '30s',
                  count: 3,
                  successCondition: 'result[0] >= 0.99',
                  failureLimit: 0,
                  provider: {
                    prometheus: {
                      address: 'http://prometheus.monitoring:9090',
                      query: `sum(rate(http_requests_total{service="${name}",code!~"5.."}[2m])) / sum(rate(http_requests_total{service="${name}"}[2m]))`,
                    },
                  },
                })),
                args: step.analysis.args ?? [],
              },
              status: { phase: 'Pending' },
            },
            'rollouts-controller',
          );
        }
        status.canary = {
          ...status.canary,
          currentStepAnalysisRunStatus: {
            name: arName,
            status: ar.status?.phase ?? 'Pending',
            message: ar.status?.message ?? '',
          },
        };
        if (ar.status?.phase === 'Successful') {
          idx++;
          continue;
        }
        if (ar.status?.phase === 'Failed' || ar.status?.phase === 'Error') {
          status.abort = true;
          status.abortedAt = nowIso;
          scaleReplicaSet(ctl, rs, 0);
          if (stable) scaleReplicaSet(ctl, stable, replicas);
          status.conditions = setCondition(
            status.conditions,
            {
              type: 'Progressing',
              status: 'False',
              reason: 'RolloutAborted',
              message: `Rollout aborted update to revision ${revision}: Metric "${ar.spec?.metrics?.[0]?.name}" assessed Failed due to failed (1) > failureLimit (0)`,
            },
            nowIso,
            { lastUpdateTime: true },
          );
          events.push([
            'Warning',
            'RolloutAborted',
            `Rollout aborted update to revision ${revision}`,
          ]);
        }
        break;
      }
      // Other step kinds (experiment, setCanaryScale, header routes, plugins) pass.
      idx++;
    }
    status.currentStepIndex = idx;
    if (idx >= steps.length && !status.abort) {
      scaleReplicaSet(ctl, rs, replicas);
      const fresh = cluster.objectOf(
        'apps',
        'ReplicaSet',
        ns,
        rs.metadata.name!,
      );
      if (avail(fresh) >= replicas) {
        status.stableRS = hash;
        if (stable) scaleReplicaSet(ctl, stable, 0);
        status.pauseConditions = undefined;
        status.controllerPause = undefined;
        status.promoteFull = undefined;
        events.push([
          'Normal',
          'RolloutCompleted',
          `Rollout completed update to revision ${revision} (${hash}): Rollout is Healthy`,
        ]);
      }
    }
    if (canary?.trafficRouting) {
      const w = status.stableRS === hash ? 100 : weight;
      status.canary = {
        ...status.canary,
        weights: {
          canary: {
            weight: status.stableRS === hash ? 0 : w,
            podTemplateHash: hash,
            serviceName: canary.canaryService,
          },
          stable: {
            weight: status.stableRS === hash ? 100 : 100 - w,
            podTemplateHash: status.stableRS,
            serviceName: canary.stableService,
          },
        },
      };
    }
  }

  // Counters, conditions and phase.
  const fresh = ownedBy(ctl, ro, 'apps', 'ReplicaSet');
  const cur = fresh.find(r => r.metadata.labels?.[HASH_LABEL] === hash);
  const sum = (f: (r: K8sObject) => number) =>
    fresh.reduce((n, r) => n + f(r), 0);
  status.replicas = sum(r => r.status?.replicas ?? 0);
  status.updatedReplicas = cur?.status?.replicas ?? 0;
  status.readyReplicas = sum(r => r.status?.readyReplicas ?? 0);
  status.availableReplicas = sum(r => r.status?.availableReplicas ?? 0);
  status.HPAReplicas = status.replicas;
  status.selector = Object.entries(spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  status.observedGeneration = String(ro.metadata.generation ?? 1);
  status.currentStepHash = steps.length ? templateHash(steps) : undefined;
  if (status.stableRS === hash && !status.abort) {
    status.conditions = setCondition(
      status.conditions,
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `Rollout "${name}" has successfully progressed.`,
      },
      nowIso,
      { lastUpdateTime: true },
    );
    status.conditions = setCondition(
      status.conditions,
      {
        type: 'Completed',
        status: 'True',
        reason: 'RolloutCompleted',
        message: 'Rollout is completed',
      },
      nowIso,
      { lastUpdateTime: true },
    );
  } else {
    status.conditions = setCondition(
      status.conditions,
      {
        type: 'Completed',
        status: 'False',
        reason: 'RolloutCompleted',
        message: `Rollout not completed, started update to revision ${revision}`,
      },
      nowIso,
      { lastUpdateTime: true },
    );
  }
  status.conditions = setCondition(
    status.conditions,
    status.availableReplicas >= replicas
      ? {
          type: 'Available',
          status: 'True',
          reason: 'AvailableReason',
          message: 'Rollout has minimum availability',
        }
      : {
          type: 'Available',
          status: 'False',
          reason: 'AvailableReason',
          message: 'Rollout does not have minimum availability',
        },
    nowIso,
    { lastUpdateTime: true },
  );
  const paused = (status.pauseConditions ?? []).length > 0 || !!spec.paused;
  status.conditions = setCondition(
    status.conditions,
    paused
      ? {
          type: 'Paused',
          status: 'True',
          reason: 'RolloutPaused',
          message: 'Rollout is paused',
        }
      : {
          type: 'Paused',
          status: 'False',
          reason: 'RolloutResumed',
          message: 'Rollout is resumed',
        },
    nowIso,
    { lastUpdateTime: true },
  );
  if (paused && !spec.paused) {
    const pc = status.conditions.find((c: any) => c.type === 'Progressing');
    if (pc?.reason === 'ReplicaSetUpdated' || pc?.reason === 'RolloutResumed') {
      status.conditions = setCondition(
        status.conditions,
        {
          type: 'Progressing',
          status: 'Unknown',
          reason: 'RolloutPaused',
          message: 'Rollout is paused',
        },
        nowIso,
        { lastUpdateTime: true },
      );
    }
  } else if (!status.abort && status.stableRS !== hash) {
    const pc = status.conditions.find((c: any) => c.type === 'Progressing');
    if (pc?.reason === 'RolloutPaused') {
      status.conditions = setCondition(
        status.conditions,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'RolloutResumed',
          message: 'Rollout is resumed',
        },
        nowIso,
        { lastUpdateTime: true },
      );
    }
  }
  const healthy =
    status.stableRS === hash && status.availableReplicas >= replicas;
  status.conditions = setCondition(
    status.conditions,
    healthy
      ? {
          type: 'Healthy',
          status: 'True',
          reason: 'RolloutHealthy',
          message: 'Rollout is healthy',
        }
      : {
          type: 'Healthy',
          status: 'False',
          reason: 'RolloutHealthy',
          message: 'Rollout is not healthy',
        },
    nowIso,
    { lastUpdateTime: true },
  );
  if (spec.restartAt) status.restartedAt = spec.restartAt;
  const ph = calculateRolloutPhase(spec, status);
  status.phase = ph.phase;
  status.message = ph.message;
  for (const k of Object.keys(status))
    if (status[k] === undefined) delete status[k];

  cluster.mutate('argoproj.io', 'Rollout', ns, name, r => {
    r.status = status;
  });
  for (const [type, reason, message] of events)
    cluster.recordEvent(
      ro,
      type as 'Normal' | 'Warning',
      reason,
      message,
      'rollouts-controller',
    );
  if (!healthy) ctl.wakeAt(now + 2000);
}

/** AnalysisRuns measure for a while, then succeed (or fail when told to). */
export function reconcileAnalysisRun(ctl: Ctl, ar: K8sObject): void {
  const { cluster, now } = ctl;
  if (
    ['Successful', 'Failed', 'Error', 'Inconclusive'].includes(ar.status?.phase)
  )
    return;
  const started = Date.parse(
    ar.status?.startedAt ?? ar.metadata.creationTimestamp!,
  );
  const duration =
    (annotationSeconds(ar.metadata.annotations, SIM.analysisSeconds) ?? 60) *
    1000;
  const outcome = ar.metadata.annotations?.[SIM.analysis] ?? 'Successful';
  const metrics: any[] = ar.spec?.metrics ?? [];
  const elapsed = now - started;
  const count = Math.min(3, Math.floor(elapsed / (duration / 3)));
  const done = elapsed >= duration;
  const phase = done
    ? outcome === 'Failed'
      ? 'Failed'
      : outcome === 'Inconclusive'
      ? 'Inconclusive'
      : 'Successful'
    : 'Running';
  cluster.mutate(
    'argoproj.io',
    'AnalysisRun',
    ar.metadata.namespace!,
    ar.metadata.name!,
    a => {
      a.status = {
        phase,
        startedAt: iso(started),
        ...(done ? { completedAt: iso(now) } : {}),
        ...(phase === 'Failed'
          ? {
              message: `Metric "${metrics[0]?.name}" assessed Failed due to failed (1) > failureLimit (0)`,
            }
          : {}),
        runSummary: {
          count: metrics.length,
          successful: phase === 'Successful' ? metrics.length : 0,
          failed: phase === 'Failed' ? 1 : 0,
        },
        metricResults: metrics.map(m => ({
          name: m.name,
          phase: done
            ? phase === 'Failed'
              ? 'Failed'
              : 'Successful'
            : 'Running',
          count: Math.max(count, done ? 3 : 0),
          successful:
            phase === 'Failed'
              ? Math.max(count - 1, 0)
              : Math.max(count, done ? 3 : 0),
          failed: phase === 'Failed' ? 1 : 0,
          measurements: Array.from(
            { length: Math.max(count, done ? 3 : 0) },
            (_, i) => {
              const v =
                phase === 'Failed' && i === Math.max(count, 3) - 1
                  ? 0.93
                  : 0.995 + (fnv32(`${ar.metadata.uid}|${i}`) % 40) / 10000;
              const t = started + (i + 1) * (duration / 3);
              return {
                phase: v >= 0.99 ? 'Successful' : 'Failed',
                value: `[${v.toFixed(4)}]`,
                startedAt: iso(t - 1000),
                finishedAt: iso(t),
              };
            },
          ),
        })),
      };
    },
  );
  if (!done) ctl.wakeAt(Math.min(started + duration, now + duration / 3));
}

/** Flagger: primary deployment, weight steps per analysis interval, promotion. */
export function reconcileCanary(ctl: Ctl, c: K8sObject): void {
  const { cluster, now } = ctl;
  const ns = c.metadata.namespace!;
  const name = c.metadata.name!;
  const nowIso = iso(now);
  const targetName = c.spec?.targetRef?.name;
  const target = cluster.objectOf('apps', 'Deployment', ns, targetName ?? '');
  const analysis = c.spec?.analysis ?? {};
  const interval =
    (parseDurationSeconds(analysis.interval ?? '1m') ?? 60) * 1000;
  const stepWeight: number = analysis.stepWeight ?? 10;
  const maxWeight: number = analysis.maxWeight ?? 50;
  const threshold: number = analysis.threshold ?? 5;
  if (!target) {
    cluster.mutate('flagger.app', 'Canary', ns, name, cc => {
      cc.status = {
        ...cc.status,
        phase: 'Failed',
        conditions: setCondition(
          cc.status?.conditions,
          {
            type: 'Promoted',
            status: 'False',
            reason: 'Failed',
            message: `deployment ${targetName}.${ns} get query error: deployments.apps "${targetName}" not found`,
          },
          nowIso,
          { lastUpdateTime: true },
        ),
      };
    });
    return;
  }
  const hash = templateHash(target.spec?.template);
  const primaryName = `${targetName}-primary`;
  let primary = cluster.objectOf('apps', 'Deployment', ns, primaryName);
  const status: any = JSON.parse(JSON.stringify(c.status ?? {}));
  const setPhase = (phase: string, condStatus: string, message: string) => {
    status.phase = phase;
    status.lastTransitionTime = nowIso;
    status.conditions = setCondition(
      status.conditions,
      { type: 'Promoted', status: condStatus, reason: phase, message },
      nowIso,
      { lastUpdateTime: true },
    );
  };
  const primaryTemplate = (tmpl: any) => {
    const labels = { ...(tmpl?.metadata?.labels ?? {}) };
    for (const k of Object.keys(labels))
      if (k === 'app' || k === 'app.kubernetes.io/name')
        labels[k] = `${labels[k]}-primary`;
    return { ...tmpl, metadata: { ...tmpl?.metadata, labels } };
  };
  if (!primary) {
    const tmpl = primaryTemplate(target.spec.template);
    primary = cluster.writeInternal(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: primaryName,
          namespace: ns,
          labels: { ...(target.metadata.labels ?? {}) },
          ownerReferences: [ownerRef(c)],
        },
        spec: {
          replicas: target.spec.replicas ?? 1,
          selector: {
            matchLabels: Object.fromEntries(
              Object.entries(target.spec.selector?.matchLabels ?? {}).map(
                ([k, v]) => [k, tmpl.metadata.labels[k] ?? v],
              ),
            ),
          },
          template: tmpl,
          strategy: target.spec.strategy,
          progressDeadlineSeconds: 600,
        },
      },
      'flagger',
    );
    status.lastAppliedSpec = hash;
    status.lastPromotedSpec = hash;
    status.canaryWeight = 0;
    status.iterations = 0;
    status.failedChecks = 0;
    setPhase(
      'Initializing',
      'Unknown',
      'New Deployment detected, starting initialization.',
    );
  }
  if (
    status.phase === 'Initializing' &&
    (primary.status?.availableReplicas ?? 0) >= (primary.spec?.replicas ?? 1)
  ) {
    cluster.mutate('apps', 'Deployment', ns, targetName, d => {
      d.spec.replicas = 0;
    });
    setPhase('Initialized', 'True', 'Deployment initialization completed.');
  }
  const inProgress = [
    'Progressing',
    'Promoting',
    'Finalising',
    'WaitingPromotion',
  ].includes(status.phase);
  if (
    ['Initialized', 'Succeeded', 'Failed'].includes(status.phase) &&
    hash !== status.lastAppliedSpec
  ) {
    status.lastAppliedSpec = hash;
    status.canaryWeight = 0;
    status.iterations = 0;
    status.failedChecks = 0;
    cluster.mutate('apps', 'Deployment', ns, targetName, d => {
      d.spec.replicas = primary!.spec?.replicas ?? 1;
    });
    setPhase(
      'Progressing',
      'Unknown',
      'New revision detected, progressing canary analysis.',
    );
    cluster.recordEvent(
      c,
      'Normal',
      'Synced',
      `New revision detected! Scaling up ${targetName}.${ns}`,
      'flagger',
    );
  } else if (inProgress) {
    const last = Date.parse(status.lastTransitionTime ?? nowIso);
    if (status.phase === 'Progressing' && now >= last + interval) {
      const failing = c.metadata.annotations?.[SIM.canaryOutcome] === 'fail';
      const canaryReady =
        (target.status?.availableReplicas ?? 0) >= (target.spec?.replicas ?? 1);
      status.lastTransitionTime = nowIso;
      if (c.spec?.skipAnalysis) {
        status.canaryWeight = maxWeight;
      } else if (failing) {
        status.failedChecks = (status.failedChecks ?? 0) + 1;
        cluster.recordEvent(
          c,
          'Warning',
          'Synced',
          `Halt ${name}.${ns} advancement request success rate 91.20% < 99%`,
          'flagger',
        );
      } else if (canaryReady) {
        status.canaryWeight = Math.min(
          maxWeight,
          (status.canaryWeight ?? 0) + stepWeight,
        );
        status.iterations = (status.iterations ?? 0) + 1;
        cluster.recordEvent(
          c,
          'Normal',
          'Synced',
          `Advance ${name}.${ns} canary weight ${status.canaryWeight}`,
          'flagger',
        );
      }
      if ((status.failedChecks ?? 0) >= threshold) {
        status.canaryWeight = 0;
        cluster.mutate('apps', 'Deployment', ns, targetName, d => {
          d.spec.replicas = 0;
        });
        setPhase(
          'Failed',
          'False',
          'Canary analysis failed, Deployment scaled to zero.',
        );
        cluster.recordEvent(
          c,
          'Warning',
          'Synced',
          `Rolling back ${name}.${ns} failed checks threshold reached ${status.failedChecks}`,
          'flagger',
        );
      } else if ((status.canaryWeight ?? 0) >= maxWeight) {
        setPhase(
          'Promoting',
          'Unknown',
          'Canary analysis completed, starting primary rolling update.',
        );
      }
    } else if (status.phase === 'Promoting') {
      cluster.mutate('apps', 'Deployment', ns, primaryName, d => {
        d.spec.template = primaryTemplate(target.spec.template);
      });
      setPhase(
        'Finalising',
        'Unknown',
        'Canary analysis completed, routing all traffic to primary.',
      );
      status.canaryWeight = 0;
    } else if (status.phase === 'Finalising') {
      const p = cluster.objectOf('apps', 'Deployment', ns, primaryName);
      if (
        p &&
        getCondition(p, 'Progressing')?.reason === 'NewReplicaSetAvailable' &&
        p.status?.updatedReplicas === p.spec?.replicas
      ) {
        cluster.mutate('apps', 'Deployment', ns, targetName, d => {
          d.spec.replicas = 0;
        });
        status.lastPromotedSpec = hash;
        setPhase(
          'Succeeded',
          'True',
          'Canary analysis completed successfully, promotion finished.',
        );
      }
    }
    if (['Progressing', 'Promoting', 'Finalising'].includes(status.phase)) {
      ctl.wakeAt(
        status.phase === 'Progressing'
          ? Date.parse(status.lastTransitionTime ?? nowIso) + interval
          : now + 2000,
      );
    }
  }
  cluster.mutate('flagger.app', 'Canary', ns, name, cc => {
    cc.status = { ...status, observedGeneration: cc.metadata.generation };
  });
  if (status.phase === 'Initializing') ctl.wakeAt(now + 2000);
}
