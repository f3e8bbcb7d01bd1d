import { fnv32, K8sObject } from '../util';
import {
  annotationSeconds,
  Ctl,
  getCondition,
  iso,
  podTerminal,
  setCondition,
  SIM,
} from './context';
import { bindPod } from './scheduler';

/**
 * The kubelet of every node, simplified: container statuses and readiness
 * from the pod's timeline and the sim.careplane.io behaviour annotations.
 */

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

/** What the kubelet's phases of one pod share. */
interface PodRun {
  ctl: Ctl;
  pod: K8sObject;
  cluster: Ctl['cluster'];
  now: number;
  ann: Record<string, string>;
  behavior: string;
  ns: string;
  name: string;
  containers: any[];
  nowIso: string;
  startAt: number;
  readyAfter: number;
  baseConditions: (ready: boolean, initialized?: boolean) => any[];
  write: (status: any) => { updated?: K8sObject; before?: string };
  common: Record<string, unknown>;
}

/** `image-pull-error`: ErrImagePull, then ImagePullBackOff. */
function imagePullError(run: PodRun): void {
  const {
    ctl,
    pod,
    cluster,
    now,
    containers,
    startAt,
    baseConditions,
    write,
    common,
  } = run;
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

/** Before the containers start: ContainerCreating. */
function containerCreating(run: PodRun): void {
  const { ctl, containers, startAt, baseConditions, write, common } = run;
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

/** `crashloop`: runs 5 s, exits 1, backs off 10 s, 20 s, 40 s … capped at 300 s. */
function crashLoop(run: PodRun): void {
  const {
    ctl,
    pod,
    cluster,
    now,
    ns,
    name,
    containers,
    startAt,
    baseConditions,
    write,
    common,
  } = run;
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
        : containerStatus(c, { running: { startedAt: iso(startAt) } }, true, 0),
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

/** A pod that runs to completion (restartPolicy Never / OnFailure). */
function runJobPod(run: PodRun): void {
  const {
    ctl,
    now,
    ann,
    containers,
    nowIso,
    startAt,
    baseConditions,
    write,
    common,
  } = run;
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

/** A long-running pod: Running, then Ready after its readiness delay. */
function runServicePod(run: PodRun): void {
  const {
    ctl,
    pod,
    cluster,
    now,
    behavior,
    containers,
    startAt,
    readyAfter,
    baseConditions,
    write,
    common,
  } = run;
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
    bindPod(ctl, pod, behavior);
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
    // ContainersReady and Ready follow the same rule (kubelet's status manager)
    for (const type of ['ContainersReady', 'Ready']) {
      conds = setCondition(
        conds,
        ready
          ? { type, status: 'True' }
          : {
              type,
              status: 'False',
              reason: 'ContainersNotReady',
              message: `containers with unready status: [${containers
                .map(c => c.name)
                .join(' ')}]`,
            },
        nowIso,
        { lastProbeTime: true },
      );
    }
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

  const run: PodRun = {
    ctl,
    pod,
    cluster,
    now,
    ann,
    behavior,
    ns,
    name,
    containers,
    nowIso,
    startAt,
    readyAfter,
    baseConditions,
    write,
    common,
  };
  if (behavior === 'image-pull-error') imagePullError(run);
  else if (now < startAt) containerCreating(run);
  else if (behavior === 'crashloop') crashLoop(run);
  else if (isJobPod) runJobPod(run);
  else runServicePod(run);
}
