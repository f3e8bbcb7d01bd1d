import { labelSelectorFromObject } from '../selectors';
import { fnv32, K8sObject, parseQuantity, templateHash } from '../util';
import {
  annotationSeconds,
  Ctl,
  getCondition,
  intOrPercent,
  iso,
  ownedBy,
  ownerRef,
  podFromTemplate,
  podReady,
  podTerminal,
  setCondition,
  SIM,
} from './context';

// ------------------------------------------------------------------ pods

/** GPUs a pod requests (limits win, as for extended resources). */
export function podGpus(pod: K8sObject): number {
  let n = 0;
  for (const c of pod.spec?.containers ?? []) {
    n += parseQuantity(
      c.resources?.limits?.['nvidia.com/gpu'] ??
        c.resources?.requests?.['nvidia.com/gpu'] ??
        0,
    );
  }
  return n;
}

function tolerates(pod: K8sObject, node: K8sObject): boolean {
  const taints: any[] = (node.spec?.taints ?? []).filter(
    (t: any) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
  );
  const tolerations: any[] = pod.spec?.tolerations ?? [];
  return taints.every(t =>
    tolerations.some(
      tol =>
        (tol.operator === 'Exists' && (!tol.key || tol.key === t.key)) ||
        (tol.key === t.key && (tol.value ?? '') === (t.value ?? '')),
    ),
  );
}

function selectsNode(pod: K8sObject, node: K8sObject): boolean {
  const sel: Record<string, string> = pod.spec?.nodeSelector ?? {};
  const labels = node.metadata.labels ?? {};
  return Object.entries(sel).every(([k, v]) => labels[k] === v);
}

function schedule(
  ctl: Ctl,
  pod: K8sObject,
): { node?: string; message?: string } {
  const nodes = ctl.cluster.objectsOf('', 'Node');
  const gpus = podGpus(pod);
  const candidates = nodes.filter(
    n => tolerates(pod, n) && selectsNode(pod, n),
  );
  if (gpus === 0) {
    if (candidates.length === 0) {
      return {
        message: `0/${nodes.length} nodes are available: ${nodes.length} node(s) didn't match Pod's node affinity/selector or had untolerated taints.`,
      };
    }
    return {
      node: candidates[fnv32(pod.metadata.name!) % candidates.length].metadata
        .name,
    };
  }
  const used = new Map<string, number>();
  for (const p of ctl.cluster.objectsOf('', 'Pod')) {
    if (
      p.spec?.nodeName &&
      !podTerminal(p) &&
      p.metadata.uid !== pod.metadata.uid
    ) {
      const g = podGpus(p);
      if (g > 0)
        used.set(p.spec.nodeName, (used.get(p.spec.nodeName) ?? 0) + g);
    }
  }
  const fits = candidates.filter(
    n =>
      parseQuantity(n.status?.allocatable?.['nvidia.com/gpu'] ?? 0) -
        (used.get(n.metadata.name!) ?? 0) >=
      gpus,
  );
  if (fits.length === 0) {
    return {
      message: `0/${nodes.length} nodes are available: ${
        nodes.length - candidates.length > 0
          ? `${
              nodes.length - candidates.length
            } node(s) didn't match Pod's node affinity/selector, `
          : ''
      }${candidates.length} Insufficient nvidia.com/gpu. preemption: 0/${
        nodes.length
      } nodes are available: ${
        nodes.length
      } No preemption victims found for incoming pod.`,
    };
  }
  return { node: fits[0].metadata.name };
}

function containerStatus(
  c: any,
  state: any,
  ready: boolean,
  restartCount: number,
  lastState: any = {},
  started?: boolean,
) {
  const image = String(c.image);
  return {
    name: c.name,
    image,
    imageID: `${image.split(':')[0]}@sha256:${fnv32(image)
      .toString(16)
      .padStart(8, '0')
      .repeat(8)}`,
    containerID: `containerd://${fnv32(`${c.name}|${image}|${restartCount}`)
      .toString(16)
      .padStart(8, '0')
      .repeat(8)}`,
    ready,
    restartCount,
    started: started ?? !!state.running,
    state,
    lastState,
  };
}

/** Advances one pod along its lifecycle. */
export function reconcilePod(ctl: Ctl, pod: K8sObject): void {
  if (podTerminal(pod) || pod.metadata.deletionTimestamp) return;
  const { cluster, now } = ctl;
  const ann = pod.metadata.annotations ?? {};
  const behavior = ann[SIM.behavior] ?? 'normal';
  const created = Date.parse(pod.metadata.creationTimestamp!);
  const ns = pod.metadata.namespace!;
  const name = pod.metadata.name!;
  const containers: any[] = pod.spec?.containers ?? [];
  const nowIso = iso(now);

  if (!pod.spec?.nodeName) {
    const placement =
      behavior === 'unschedulable'
        ? {
            message: `0/${
              cluster.objectsOf('', 'Node').length
            } nodes are available: pod has unbound immediate PersistentVolumeClaims.`,
          }
        : schedule(ctl, pod);
    if (!placement.node) {
      cluster.mutate('', 'Pod', ns, name, p => {
        p.status = {
          ...p.status,
          phase: 'Pending',
          conditions: setCondition(
            p.status?.conditions,
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: placement.message,
            },
            nowIso,
            { lastProbeTime: true },
          ),
        };
      });
      const cur = cluster.store.get('pods', ns, name);
      if (
        cur &&
        getCondition(cur, 'PodScheduled')?.status === 'False' &&
        getCondition(pod, 'PodScheduled')?.status !== 'False'
      ) {
        cluster.recordEvent(
          cur,
          'Warning',
          'FailedScheduling',
          placement.message!,
          'default-scheduler',
        );
      }
      ctl.wakeAt(now + 10000);
      return;
    }
    const node = cluster.objectOf('', 'Node', '', placement.node)!;
    const updated = cluster.mutate('', 'Pod', ns, name, p => {
      p.spec.nodeName = placement.node;
      p.status = {
        ...p.status,
        phase: 'Pending',
        hostIP: node.status?.addresses?.[0]?.address,
        conditions: setCondition(
          p.status?.conditions,
          { type: 'PodScheduled', status: 'True' },
          nowIso,
          { lastProbeTime: true },
        ),
      };
    });
    if (updated)
      cluster.recordEvent(
        updated,
        'Normal',
        'Scheduled',
        `Successfully assigned ${ns}/${name} to ${placement.node}`,
        'default-scheduler',
      );
    ctl.wakeAt(now + 1000);
    return;
  }

  const scheduledAt =
    Date.parse(
      getCondition(pod, 'PodScheduled')?.lastTransitionTime ??
        pod.metadata.creationTimestamp!,
    ) || created;
  const startAt = scheduledAt + 1000;
  const readyAfter =
    (annotationSeconds(ann, SIM.readyAfter) ?? cluster.podReadySeconds) * 1000;
  const isJobPod = (pod.spec?.restartPolicy ?? 'Always') !== 'Always';
  const baseConditions = (ready: boolean, initialized = true) => {
    let conds = setCondition(
      pod.status?.conditions,
      { type: 'PodScheduled', status: 'True' },
      nowIso,
      { lastProbeTime: true },
    );
    conds = setCondition(
      conds,
      { type: 'Initialized', status: initialized ? 'True' : 'False' },
      nowIso,
      { lastProbeTime: true },
    );
    conds = setCondition(
      conds,
      {
        type: 'PodReadyToStartContainers',
        status: now >= startAt ? 'True' : 'False',
      },
      nowIso,
      { lastProbeTime: true },
    );
    conds = setCondition(
      conds,
      ready
        ? { type: 'ContainersReady', status: 'True' }
        : {
            type: 'ContainersReady',
            status: 'False',
            reason: 'ContainersNotReady',
            message: `containers with unready status: [${containers
              .map(c => c.name)
              .join(' ')}]`,
          },
      nowIso,
      { lastProbeTime: true },
    );
    conds = setCondition(
      conds,
      ready
        ? { type: 'Ready', status: 'True' }
        : {
            type: 'Ready',
            status: 'False',
            reason: 'ContainersNotReady',
            message: `containers with unready status: [${containers
              .map(c => c.name)
              .join(' ')}]`,
          },
      nowIso,
      { lastProbeTime: true },
    );
    return conds;
  };
  const write = (status: any) => {
    const before = pod.status?.phase;
    const updated = cluster.mutate('', 'Pod', ns, name, p => {
      p.status = status;
    });
    return { updated, before };
  };
  const podIp = pod.status?.podIP ?? cluster.nextPodIp();
  const common = {
    hostIP: pod.status?.hostIP,
    hostIPs: pod.status?.hostIP ? [{ ip: pod.status.hostIP }] : undefined,
    podIP: podIp,
    podIPs: [{ ip: podIp }],
    startTime: iso(scheduledAt),
    qosClass: pod.status?.qosClass ?? 'Burstable',
  };

  if (behavior === 'image-pull-error') {
    const reason = now - startAt > 10000 ? 'ImagePullBackOff' : 'ErrImagePull';
    const message = `Back-off pulling image "${containers[0]?.image}"`;
    const { updated, before } = write({
      ...common,
      phase: 'Pending',
      conditions: baseConditions(false),
      containerStatuses: containers.map(c =>
        containerStatus(c, { waiting: { reason, message } }, false, 0),
      ),
    });
    if (
      updated &&
      before === 'Pending' &&
      reason === 'ErrImagePull' &&
      pod.status?.containerStatuses === undefined
    ) {
      cluster.recordEvent(
        updated,
        'Warning',
        'Failed',
        `Failed to pull image "${containers[0]?.image}": rpc error: code = NotFound desc = failed to pull and unpack image: not found`,
        'kubelet',
      );
    }
    if (reason === 'ErrImagePull') ctl.wakeAt(startAt + 10001);
    return;
  }

  if (now < startAt) {
    write({
      ...common,
      phase: 'Pending',
      conditions: baseConditions(false),
      containerStatuses: containers.map(c =>
        containerStatus(
          c,
          { waiting: { reason: 'ContainerCreating' } },
          false,
          0,
        ),
      ),
    });
    ctl.wakeAt(startAt);
    return;
  }

  if (behavior === 'crashloop') {
    // Runs 5 s, exits 1, backs off 10 s, 20 s, 40 s … capped at 300 s.
    let t = startAt;
    let restarts = 0;
    let lastTerminated: any;
    let state: any;
    let next = 0;
    for (;;) {
      const end = t + 5000;
      if (now < end) {
        state = { running: { startedAt: iso(t) } };
        next = end;
        break;
      }
      lastTerminated = {
        terminated: {
          exitCode: 1,
          reason: 'Error',
          startedAt: iso(t),
          finishedAt: iso(end),
          containerID: 'containerd://crashed',
        },
      };
      const backoff = Math.min(10000 * 2 ** restarts, 300000);
      restarts++;
      if (now < end + backoff) {
        state = {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off ${backoff / 1000}s restarting failed container=${
              containers[0]?.name
            } pod=${name}_${ns}(${pod.metadata.uid})`,
          },
        };
        next = end + backoff;
        break;
      }
      t = end + backoff;
    }
    const { updated } = write({
      ...common,
      phase: 'Running',
      conditions: baseConditions(false),
      containerStatuses: containers.map((c, i) =>
        i === 0
          ? containerStatus(c, state, false, restarts, lastTerminated ?? {})
          : containerStatus(
              c,
              { running: { startedAt: iso(startAt) } },
              true,
              0,
            ),
      ),
    });
    if (
      updated &&
      state.waiting &&
      pod.status?.containerStatuses?.[0]?.state?.running
    ) {
      cluster.recordEvent(
        updated,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${containers[0]?.name} in pod ${name}_${ns}(${pod.metadata.uid})`,
        'kubelet',
      );
    }
    ctl.wakeAt(next);
    return;
  }

  if (isJobPod) {
    const runMs = (annotationSeconds(ann, SIM.runSeconds) ?? 10) * 1000;
    const exitCode = Number(ann[SIM.exitCode] ?? 0);
    const end = startAt + runMs;
    if (now >= end) {
      const ok = exitCode === 0;
      write({
        ...common,
        phase: ok ? 'Succeeded' : 'Failed',
        conditions: setCondition(
          setCondition(
            baseConditions(false),
            { type: 'Ready', status: 'False', reason: 'PodCompleted' },
            nowIso,
            { lastProbeTime: true },
          ),
          { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' },
          nowIso,
          { lastProbeTime: true },
        ),
        containerStatuses: containers.map(c =>
          containerStatus(
            c,
            {
              terminated: {
                exitCode,
                reason: ok ? 'Completed' : 'Error',
                startedAt: iso(startAt),
                finishedAt: iso(end),
              },
            },
            false,
            0,
            {},
            false,
          ),
        ),
      });
      return;
    }
    const ready = now >= startAt + 1000;
    write({
      ...common,
      phase: 'Running',
      conditions: baseConditions(ready),
      containerStatuses: containers.map(c =>
        containerStatus(c, { running: { startedAt: iso(startAt) } }, ready, 0),
      ),
    });
    ctl.wakeAt(ready ? end : Math.min(end, startAt + 1000));
    return;
  }

  const ready = behavior !== 'never-ready' && now >= startAt + readyAfter;
  const { updated } = write({
    ...common,
    phase: 'Running',
    conditions: baseConditions(ready),
    containerStatuses: containers.map(c =>
      containerStatus(c, { running: { startedAt: iso(startAt) } }, ready, 0),
    ),
  });
  if (updated && pod.status?.phase === 'Pending') {
    cluster.recordEvent(
      updated,
      'Normal',
      'Started',
      `Started container ${containers[0]?.name}`,
      'kubelet',
    );
  }
  if (
    behavior === 'never-ready' &&
    updated &&
    updated !== pod &&
    pod.status?.phase === 'Pending'
  ) {
    cluster.recordEvent(
      updated,
      'Warning',
      'Unhealthy',
      'Readiness probe failed: HTTP probe failed with statuscode: 503',
      'kubelet',
    );
  }
  if (!ready && behavior !== 'never-ready') ctl.wakeAt(startAt + readyAfter);
}

// ----------------------------------------------------------- replicasets

/** Keeps a ReplicaSet's pod count at spec.replicas and reports its status. */
export function reconcileReplicaSet(ctl: Ctl, rs: K8sObject): void {
  const { cluster } = ctl;
  const ns = rs.metadata.namespace!;
  const pods = ownedBy(ctl, rs, '', 'Pod').filter(p => !podTerminal(p));
  const want = rs.spec?.replicas ?? 1;
  if (pods.length < want) {
    for (let i = pods.length; i < want; i++) {
      const name = `${rs.metadata.name}-${cluster.rng.suffix()}`;
      const pod = cluster.writeInternal(
        podFromTemplate(rs, rs.spec.template, name),
      );
      pods.push(pod);
      cluster.recordEvent(
        rs,
        'Normal',
        'SuccessfulCreate',
        `Created pod: ${name}`,
        'replicaset-controller',
      );
    }
  } else if (pods.length > want) {
    const victims = [...pods]
      .sort((a, b) => {
        const ra = podReady(a) ? 1 : 0;
        const rb = podReady(b) ? 1 : 0;
        if (ra !== rb) return ra - rb;
        return (
          (b.metadata.creationTimestamp ?? '').localeCompare(
            a.metadata.creationTimestamp ?? '',
          ) || b.metadata.name!.localeCompare(a.metadata.name!)
        );
      })
      .slice(0, pods.length - want);
    for (const v of victims) {
      cluster.removeOf('', 'Pod', ns, v.metadata.name!);
      cluster.recordEvent(
        rs,
        'Normal',
        'SuccessfulDelete',
        `Deleted pod: ${v.metadata.name}`,
        'replicaset-controller',
      );
    }
  }
  const live = ownedBy(ctl, rs, '', 'Pod').filter(p => !podTerminal(p));
  const ready = live.filter(podReady).length;
  cluster.mutate('apps', 'ReplicaSet', ns, rs.metadata.name!, r => {
    r.status = {
      replicas: live.length,
      fullyLabeledReplicas: live.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: r.metadata.generation,
    };
    if (ready === 0) delete r.status.readyReplicas;
    if (ready === 0) delete r.status.availableReplicas;
  });
}

/** Creates a ReplicaSet for a pod template (used by Deployments and Rollouts). */
export function createReplicaSet(
  ctl: Ctl,
  owner: K8sObject,
  hash: string,
  hashLabel: string,
  revision: number,
  revisionAnnotation: string,
  replicas: number,
): K8sObject {
  const tmpl = owner.spec.template ?? {};
  const labels = { ...(tmpl.metadata?.labels ?? {}), [hashLabel]: hash };
  return ctl.cluster.writeInternal({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${owner.metadata.name}-${hash}`,
      namespace: owner.metadata.namespace,
      labels,
      annotations: {
        [revisionAnnotation]: String(revision),
        ...(owner.kind === 'Deployment'
          ? {
              'deployment.kubernetes.io/desired-replicas': String(
                owner.spec.replicas ?? 1,
              ),
              'deployment.kubernetes.io/max-replicas': String(
                (owner.spec.replicas ?? 1) + 1,
              ),
            }
          : {}),
      },
      ownerReferences: [ownerRef(owner)],
    },
    spec: {
      replicas,
      selector: {
        matchLabels: {
          ...(owner.spec.selector?.matchLabels ?? {}),
          [hashLabel]: hash,
        },
      },
      template: { ...tmpl, metadata: { ...(tmpl.metadata ?? {}), labels } },
    },
    status: { replicas: 0 },
  });
}

/** Sets a ReplicaSet's desired replicas. */
export function scaleReplicaSet(
  ctl: Ctl,
  rs: K8sObject,
  replicas: number,
): void {
  if ((rs.spec?.replicas ?? 1) === replicas) return;
  ctl.cluster.mutate(
    'apps',
    'ReplicaSet',
    rs.metadata.namespace!,
    rs.metadata.name!,
    r => {
      r.spec.replicas = replicas;
    },
  );
}

function revisionOf(rs: K8sObject, annotation: string): number {
  return Number(rs.metadata.annotations?.[annotation] ?? 0);
}

// ----------------------------------------------------------- deployments

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

/** The StatefulSet controller: ordered creation and reverse-ordinal rolling updates. */
export function reconcileStatefulSet(ctl: Ctl, s: K8sObject): void {
  const { cluster } = ctl;
  const ns = s.metadata.namespace!;
  const name = s.metadata.name!;
  const want: number = s.spec?.replicas ?? 1;
  const revision = `${name}-${templateHash(s.spec.template)}`;
  const pods = ownedBy(ctl, s, '', 'Pod');
  const byOrdinal = new Map<number, K8sObject>();
  for (const p of pods)
    byOrdinal.set(Number(p.metadata.name!.slice(name.length + 1)), p);
  // Scale down from the highest ordinal.
  for (const [ord, p] of byOrdinal) {
    if (ord >= want) {
      cluster.removeOf('', 'Pod', ns, p.metadata.name!);
      byOrdinal.delete(ord);
    }
  }
  let allReady = true;
  for (let i = 0; i < want; i++) {
    const p = byOrdinal.get(i);
    if (!p) {
      if (!allReady) break;
      const tmpl = s.spec.template ?? {};
      const pod = podFromTemplate(s, tmpl, `${name}-${i}`, {
        'controller-revision-hash': revision,
        'statefulset.kubernetes.io/pod-name': `${name}-${i}`,
        'apps.kubernetes.io/pod-index': String(i),
      });
      pod.spec.hostname = `${name}-${i}`;
      if (s.spec.serviceName) pod.spec.subdomain = s.spec.serviceName;
      byOrdinal.set(i, cluster.writeInternal(pod));
      cluster.recordEvent(
        s,
        'Normal',
        'SuccessfulCreate',
        `create Pod ${name}-${i} in StatefulSet ${name} successful`,
        'statefulset-controller',
      );
      allReady = false;
      break;
    }
    if (!podReady(p)) allReady = false;
  }
  if (allReady) {
    // Roll one outdated pod at a time, highest ordinal first.
    for (let i = want - 1; i >= 0; i--) {
      const p = byOrdinal.get(i);
      if (p && p.metadata.labels?.['controller-revision-hash'] !== revision) {
        cluster.removeOf('', 'Pod', ns, p.metadata.name!);
        byOrdinal.delete(i);
        break;
      }
    }
  }
  const live = [...byOrdinal.values()]
    .map(p => cluster.store.get('pods', ns, p.metadata.name!))
    .filter((p): p is K8sObject => !!p);
  const ready = live.filter(podReady).length;
  const updated = live.filter(
    p => p.metadata.labels?.['controller-revision-hash'] === revision,
  ).length;
  cluster.mutate('apps', 'StatefulSet', ns, name, st => {
    const prevCurrent = st.status?.currentRevision ?? revision;
    const done = updated === want && ready === want;
    st.status = {
      observedGeneration: st.metadata.generation,
      replicas: live.length,
      readyReplicas: ready,
      currentReplicas: done ? want : live.length - updated,
      updatedReplicas: updated,
      availableReplicas: ready,
      currentRevision: done ? revision : prevCurrent,
      updateRevision: revision,
      collisionCount: 0,
    };
  });
}

// ------------------------------------------------------------ HPA / PDB

/** Reports HorizontalPodAutoscaler status from its target (the simulator does not autoscale). */
export function reconcileHpa(ctl: Ctl, hpa: K8sObject): void {
  const { cluster, now } = ctl;
  const ref = hpa.spec?.scaleTargetRef ?? {};
  const group = String(ref.apiVersion ?? 'apps/v1').includes('/')
    ? String(ref.apiVersion).split('/')[0]
    : '';
  const target = cluster.objectOf(
    group,
    ref.kind ?? 'Deployment',
    hpa.metadata.namespace!,
    ref.name ?? '',
  );
  const nowIso = iso(now);
  const current = target?.status?.replicas ?? 0;
  const min = hpa.spec?.minReplicas ?? 1;
  const max = hpa.spec?.maxReplicas ?? min;
  const desired = Math.min(
    max,
    Math.max(min, target?.spec?.replicas ?? current),
  );
  const util = 35 + (fnv32(hpa.metadata.uid!) % 30);
  cluster.mutate(
    'autoscaling',
    'HorizontalPodAutoscaler',
    hpa.metadata.namespace!,
    hpa.metadata.name!,
    h => {
      let conds = setCondition(
        h.status?.conditions,
        target
          ? {
              type: 'AbleToScale',
              status: 'True',
              reason: 'ReadyForNewScale',
              message: 'recommended size matches current size',
            }
          : {
              type: 'AbleToScale',
              status: 'False',
              reason: 'FailedGetScale',
              message: `the HPA controller was unable to get the target's current scale: ${String(
                ref.kind,
              ).toLowerCase()}s "${ref.name}" not found`,
            },
        nowIso,
      );
      conds = setCondition(
        conds,
        target
          ? {
              type: 'ScalingActive',
              status: 'True',
              reason: 'ValidMetricFound',
              message:
                'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
            }
          : {
              type: 'ScalingActive',
              status: 'False',
              reason: 'FailedGetScale',
            },
        nowIso,
      );
      conds = setCondition(
        conds,
        {
          type: 'ScalingLimited',
          status: desired === min || desired === max ? 'True' : 'False',
          reason:
            desired === min
              ? 'TooFewReplicas'
              : desired === max
              ? 'TooManyReplicas'
              : 'DesiredWithinRange',
          message:
            desired === min
              ? 'the desired replica count is less than the minimum replica count'
              : desired === max
              ? 'the desired replica count is more than the maximum replica count'
              : 'the desired count is within the acceptable range',
        },
        nowIso,
      );
      h.status = {
        observedGeneration: h.metadata.generation,
        currentReplicas: current,
        desiredReplicas: desired,
        currentMetrics: target
          ? [
              {
                type: 'Resource',
                resource: {
                  name: 'cpu',
                  current: {
                    averageUtilization: util,
                    averageValue: `${util * 5}m`,
                  },
                },
              },
            ]
          : [],
        conditions: conds,
      };
    },
  );
}

/** Reports PodDisruptionBudget status from the pods it selects. */
export function reconcilePdb(ctl: Ctl, pdb: K8sObject): void {
  const { cluster, now } = ctl;
  const ns = pdb.metadata.namespace!;
  const match = labelSelectorFromObject(pdb.spec?.selector);
  const pods = cluster
    .objectsOf('', 'Pod', ns)
    .filter(p => !podTerminal(p) && match(p.metadata.labels));
  const healthy = pods.filter(podReady).length;
  const expected = pods.length;
  let desired: number;
  if (pdb.spec?.minAvailable !== undefined)
    desired = intOrPercent(pdb.spec.minAvailable, expected, true, '0');
  else if (pdb.spec?.maxUnavailable !== undefined)
    desired =
      expected - intOrPercent(pdb.spec.maxUnavailable, expected, true, '0');
  else desired = expected;
  desired = Math.max(0, desired);
  const allowed = Math.max(0, healthy - desired);
  cluster.mutate('policy', 'PodDisruptionBudget', ns, pdb.metadata.name!, p => {
    p.status = {
      observedGeneration: p.metadata.generation,
      currentHealthy: healthy,
      desiredHealthy: desired,
      disruptionsAllowed: allowed,
      expectedPods: expected,
      conditions: setCondition(
        p.status?.conditions,
        allowed > 0
          ? {
              type: 'DisruptionAllowed',
              status: 'True',
              reason: 'SufficientPods',
              message: '',
            }
          : {
              type: 'DisruptionAllowed',
              status: 'False',
              reason: 'InsufficientPods',
              message: '',
            },
        iso(now),
        { observedGeneration: p.metadata.generation },
      ),
    };
  });
}
