import type { SimulatedCluster } from '../cluster';
import { podLogText, PodLogOptions } from '../controllers/logs';
import type { ClusterFaults } from '../faults';
import { fail, SimResponse, WatchSettings } from './http';
import { badRequest, statusBody } from './status';

/**
 * GET pods/{name}/log. The apiserver resolves the container first (400 when a
 * multi-container pod names none or an unknown one), then answers
 * 204 No Content for a pod that has no node yet: LogLocation returns no
 * location (kubernetes pkg/registry/core/pod/strategy.go) and StreamObject
 * writes StatusNoContent for a nil stream
 * (apiserver/pkg/endpoints/handlers/responsewriters/writers.go). Everything
 * after that is the kubelet's answer, simulated from the pod's timeline.
 */
export function podLog(
  cluster: SimulatedCluster,
  faults: ClusterFaults,
  namespace: string,
  name: string,
  q: URLSearchParams,
  settings: WatchSettings,
): SimResponse {
  const podType = cluster.typeByKind('', 'Pod')!;
  const pod = cluster.get(podType, namespace, name);
  const containers: string[] = (pod.spec?.containers ?? []).map(
    (c: any) => c.name,
  );
  const initContainers: string[] = (pod.spec?.initContainers ?? []).map(
    (c: any) => c.name,
  );
  // validateContainer: the server knows no default-container annotation (that is kubectl's).
  let container = q.get('container') ?? '';
  if (!container) {
    if (containers.length === 1) container = containers[0];
    else if (containers.length === 0)
      throw badRequest(`a container name must be specified for pod ${name}`);
    else
      throw badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${[
          ...initContainers,
          ...containers,
        ].join(' ')}]`,
      );
  } else if (
    !containers.includes(container) &&
    !initContainers.includes(container)
  ) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }
  if (!pod.spec?.nodeName) {
    // LogLocation returns no location: StreamObject answers 204 with no body.
    return { status: 204, headers: {}, body: '' };
  }
  const status = (pod.status?.containerStatuses ?? []).find(
    (s: any) => s.name === container,
  );
  const previous = q.get('previous') === 'true';
  if (previous && !status?.lastState?.terminated) {
    return fail(
      statusBody(
        400,
        'BadRequest',
        `previous terminated container "${container}" in pod "${name}" not found`,
      ),
    );
  }
  if (
    !previous &&
    (!status ||
      (status.state?.waiting &&
        !status.lastState?.terminated &&
        !status.state?.running))
  ) {
    const reason = status?.state?.waiting?.reason ?? 'ContainerCreating';
    return fail(
      statusBody(
        400,
        'BadRequest',
        `container "${container}" in pod "${name}" is waiting to start: ${reason}`,
      ),
    );
  }
  const opts: PodLogOptions = {
    container,
    previous,
    timestamps: q.get('timestamps') === 'true',
    tailLines: q.get('tailLines') ? Number(q.get('tailLines')) : undefined,
    sinceSeconds: q.get('sinceSeconds')
      ? Number(q.get('sinceSeconds'))
      : undefined,
    sinceTime: q.get('sinceTime') ?? undefined,
    limitBytes: q.get('limitBytes') ? Number(q.get('limitBytes')) : undefined,
  };
  const first = podLogText(cluster, pod, opts, cluster.clock.now());
  if (q.get('follow') !== 'true') {
    return {
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: first.text,
    };
  }
  return {
    status: 200,
    headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
    stream: sink => {
      let closed = false;
      let until = cluster.clock.now();
      sink.write(first.text);
      let timer: ReturnType<typeof setTimeout> | undefined;
      let unregister: () => void = () => {};
      const stop = () => {
        closed = true;
        if (timer) clearTimeout(timer);
        unregister();
      };
      unregister = faults.registerWatch(mode => {
        stop();
        if (mode === 'reset') sink.destroy();
        else sink.end();
      });
      const poll = () => {
        if (closed) return;
        const current = cluster.store.get('pods', namespace, name);
        if (!current || current.metadata.uid !== pod.metadata.uid) {
          stop();
          sink.end();
          return;
        }
        const now = cluster.clock.now();
        const next = podLogText(
          cluster,
          current,
          {
            ...opts,
            tailLines: undefined,
            sinceSeconds: undefined,
            sinceTime: undefined,
            afterMs: until,
          },
          now,
        );
        until = now;
        if (next.text) sink.write(next.text);
        if (next.terminated) {
          stop();
          sink.end();
          return;
        }
        timer = setTimeout(poll, settings.logPollMs);
      };
      timer = setTimeout(poll, settings.logPollMs);
      return stop;
    },
  };
}
