import { K8sObject, templateHash } from '../util';
import {
  Ctl,
  getCondition,
  intOrPercent,
  iso,
  ownedBy,
  setCondition,
} from './context';
import { createReplicaSet, revisionOf, scaleReplicaSet } from './replicasets';

/** The Deployment controller: rolling updates, Recreate, pause, progress deadline. */
export function reconcileDeployment(ctl: Ctl, d: K8sObject): void {
  const { cluster, now } = ctl;
  const ns = d.metadata.namespace!;
  const name = d.metadata.name!;
  const nowIso = iso(now);
  const want: number = d.spec?.replicas ?? 1;
  const hash = templateHash(d.spec.template);
  const revAnn = 'deployment.kubernetes.io/revision';
  let rss = ownedBy(ctl, d, 'apps', 'ReplicaSet');
  let newRs = rss.find(r => r.metadata.labels?.['pod-template-hash'] === hash);
  const paused = !!d.spec?.paused;
  if (!newRs && !paused) {
    const maxRev = Math.max(0, ...rss.map(r => revisionOf(r, revAnn)));
    newRs = createReplicaSet(
      ctl,
      d,
      hash,
      'pod-template-hash',
      maxRev + 1,
      revAnn,
      rss.length === 0 ? want : 0,
    );
    cluster.recordEvent(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled up replica set ${newRs.metadata.name} from 0 to ${newRs.spec.replicas}`,
      'deployment-controller',
    );
    rss = [...rss, newRs];
  } else if (newRs && !paused) {
    const maxRev = Math.max(0, ...rss.map(r => revisionOf(r, revAnn)));
    if (revisionOf(newRs, revAnn) < maxRev) {
      // Rolling back to an older template makes its ReplicaSet the newest revision.
      newRs = cluster.mutate(
        'apps',
        'ReplicaSet',
        ns,
        newRs.metadata.name!,
        r => {
          r.metadata.annotations = {
            ...r.metadata.annotations,
            [revAnn]: String(maxRev + 1),
          };
        },
      )!;
      rss = rss.map(r => (r.metadata.uid === newRs!.metadata.uid ? newRs! : r));
    }
  }
  const olds = rss.filter(
    r => r !== newRs && r.metadata.uid !== newRs?.metadata.uid,
  );
  const specOf = (r: K8sObject) => r.spec?.replicas ?? 0;
  const avail = (r: K8sObject) => r.status?.availableReplicas ?? 0;

  if (newRs && !paused) {
    const strategy = d.spec.strategy?.type ?? 'RollingUpdate';
    if (strategy === 'Recreate') {
      const oldPods = olds.reduce((n, r) => n + (r.status?.replicas ?? 0), 0);
      for (const o of olds) scaleReplicaSet(ctl, o, 0);
      if (oldPods === 0) scaleReplicaSet(ctl, newRs, want);
    } else {
      const surge = intOrPercent(
        d.spec.strategy?.rollingUpdate?.maxSurge,
        want,
        true,
        '25%',
      );
      let unavailable = intOrPercent(
        d.spec.strategy?.rollingUpdate?.maxUnavailable,
        want,
        false,
        '25%',
      );
      if (surge === 0 && unavailable === 0) unavailable = 1;
      const total = rss.reduce((n, r) => n + specOf(r), 0);
      // Scale up the new ReplicaSet within maxSurge.
      if (specOf(newRs) < want) {
        const room = want + surge - total;
        if (room > 0) {
          const to = Math.min(want, specOf(newRs) + room);
          cluster.recordEvent(
            d,
            'Normal',
            'ScalingReplicaSet',
            `Scaled up replica set ${newRs.metadata.name} from ${specOf(
              newRs,
            )} to ${to}`,
            'deployment-controller',
          );
          scaleReplicaSet(ctl, newRs, to);
        }
      } else if (specOf(newRs) > want) {
        scaleReplicaSet(ctl, newRs, want);
      }
      // Scale down old ReplicaSets while keeping minAvailable.
      const minAvailable = want - unavailable;
      const totalAvailable = rss.reduce((n, r) => n + avail(r), 0);
      let canRemove = totalAvailable - minAvailable;
      const oldSorted = [...olds].sort(
        (a, b) => revisionOf(a, revAnn) - revisionOf(b, revAnn),
      );
      // Unhealthy old replicas can always go.
      for (const o of oldSorted) {
        const unhealthy = specOf(o) - avail(o);
        if (unhealthy > 0 && specOf(o) > 0) {
          scaleReplicaSet(ctl, o, specOf(o) - unhealthy);
        }
      }
      for (const o of oldSorted) {
        const cur = Math.min(specOf(o), avail(o));
        if (canRemove <= 0 || cur <= 0) continue;
        const by = Math.min(cur, canRemove);
        canRemove -= by;
        const fresh =
          cluster.objectOf('apps', 'ReplicaSet', ns, o.metadata.name!) ?? o;
        cluster.recordEvent(
          d,
          'Normal',
          'ScalingReplicaSet',
          `Scaled down replica set ${o.metadata.name} from ${specOf(
            fresh,
          )} to ${specOf(fresh) - by}`,
          'deployment-controller',
        );
        scaleReplicaSet(ctl, fresh, specOf(fresh) - by);
      }
    }
  }

  // Clean up old ReplicaSets beyond revisionHistoryLimit.
  const limit = d.spec.revisionHistoryLimit ?? 10;
  const idle = olds
    .map(o => cluster.objectOf('apps', 'ReplicaSet', ns, o.metadata.name!))
    .filter(
      (o): o is K8sObject =>
        !!o && specOf(o) === 0 && (o.status?.replicas ?? 0) === 0,
    )
    .sort((a, b) => revisionOf(a, revAnn) - revisionOf(b, revAnn));
  for (const o of idle.slice(0, Math.max(0, idle.length - limit))) {
    cluster.removeOf('apps', 'ReplicaSet', ns, o.metadata.name!);
  }

  // Status.
  const fresh = ownedBy(ctl, d, 'apps', 'ReplicaSet');
  const freshNew = fresh.find(
    r => r.metadata.labels?.['pod-template-hash'] === hash,
  );
  const replicas = fresh.reduce((n, r) => n + (r.status?.replicas ?? 0), 0);
  const updated = freshNew?.status?.replicas ?? 0;
  const ready = fresh.reduce((n, r) => n + (r.status?.readyReplicas ?? 0), 0);
  const available = fresh.reduce(
    (n, r) => n + (r.status?.availableReplicas ?? 0),
    0,
  );
  const maxUnavailable = intOrPercent(
    d.spec.strategy?.rollingUpdate?.maxUnavailable,
    want,
    false,
    '25%',
  );
  const complete =
    updated === want && replicas === want && available === want && !!freshNew;
  const deadline = (d.spec.progressDeadlineSeconds ?? 600) * 1000;
  const rsName = freshNew?.metadata.name ?? `${name}-${hash}`;
  cluster.mutate('apps', 'Deployment', ns, name, dep => {
    const prev = dep.status ?? {};
    const counters = {
      replicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
    };
    const progressed =
      [
        'replicas',
        'updatedReplicas',
        'readyReplicas',
        'availableReplicas',
      ].some(k => (prev[k] ?? 0) !== (counters as any)[k]) ||
      prev.observedGeneration !== dep.metadata.generation;
    let conds = setCondition(
      prev.conditions,
      available >= want - maxUnavailable
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
      nowIso,
      { lastUpdateTime: true },
    );
    const prevProgressing = (prev.conditions ?? []).find(
      (c: any) => c.type === 'Progressing',
    );
    if (paused) {
      conds = setCondition(
        conds,
        {
          type: 'Progressing',
          status: 'Unknown',
          reason: 'DeploymentPaused',
          message: 'Deployment is paused',
        },
        nowIso,
        { lastUpdateTime: true },
      );
    } else if (complete) {
      conds = setCondition(
        conds,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
        },
        nowIso,
        { lastUpdateTime: true },
      );
    } else if (
      progressed ||
      !prevProgressing ||
      prevProgressing.reason === 'NewReplicaSetAvailable' ||
      prevProgressing.reason === 'DeploymentPaused'
    ) {
      const c = setCondition(
        conds,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${rsName}" is progressing.`,
        },
        nowIso,
        { lastUpdateTime: true },
      );
      // Any progress refreshes lastUpdateTime, which the deadline is measured from.
      conds = c.map((x: any) =>
        x.type === 'Progressing' ? { ...x, lastUpdateTime: nowIso } : x,
      );
    } else if (prevProgressing.reason !== 'ProgressDeadlineExceeded') {
      const since = Date.parse(
        prevProgressing.lastUpdateTime ?? prevProgressing.lastTransitionTime,
      );
      if (now - since > deadline) {
        conds = setCondition(
          conds,
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: `ReplicaSet "${rsName}" has timed out progressing.`,
          },
          nowIso,
          { lastUpdateTime: true },
        );
      } else {
        ctl.wakeAt(since + deadline + 1000);
      }
    }
    dep.status = {
      observedGeneration: dep.metadata.generation,
      replicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      ...(want - available > 0
        ? { unavailableReplicas: want - available }
        : {}),
      conditions: conds,
    };
    for (const k of [
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
    ]) {
      if (dep.status[k] === 0) delete dep.status[k];
    }
    if (freshNew) {
      dep.metadata.annotations = {
        ...dep.metadata.annotations,
        [revAnn]: freshNew.metadata.annotations?.[revAnn] ?? '1',
      };
    }
  });
  const after = cluster.objectOf('apps', 'Deployment', ns, name);
  const pc = after && getCondition(after, 'Progressing');
  if (
    pc?.reason === 'ProgressDeadlineExceeded' &&
    getCondition(d, 'Progressing')?.reason !== 'ProgressDeadlineExceeded'
  ) {
    cluster.recordEvent(
      after!,
      'Warning',
      'ProgressDeadlineExceeded',
      `Deployment "${name}" has timed out progressing.`,
      'deployment-controller',
    );
  }
  if (!complete && !paused) ctl.wakeAt(now + 5000);
}

// ---------------------------------------------------------- statefulsets
