import {
  clustersPodLogsPermission,
  PodLogsRequest,
} from '@careplane/plugin-clusters-common';
import { explainEmptyLog, POD_NOT_STARTED } from './podLogText';
import { objectPath } from './writeTarget';
import type { WriteCallOptions, WriteSessions } from './WriteSession';

/**
 * What a pod-log read answers: the text, or a stream when following.
 * @internal
 */
export interface PodLogAnswer {
  auditId: string;
  text?: string;
  stream?: NodeJS.ReadableStream;
}

/**
 * Pod logs, held to the entity's scope like a write (logs of PHI workloads may carry PHI) and
 * audited in one session like a write. Returns the text, or a stream when `follow` (the caller
 * must pipe it and abort `signal` when the client leaves).
 * @internal
 */
export async function readPodLogs(
  sessions: WriteSessions,
  request: PodLogsRequest,
  options: WriteCallOptions & { signal?: AbortSignal },
): Promise<PodLogAnswer> {
  const tailLines =
    request.tailLines ?? (request.sinceSeconds === undefined ? 500 : undefined);
  const query = {
    container: request.container,
    previous: request.previous ? true : undefined,
    tailLines,
    sinceSeconds: request.sinceSeconds,
    follow: request.follow ? true : undefined,
    timestamps: true,
  };
  const { auditId, result } = await sessions.run(
    'logs',
    {
      entityRef: request.entityRef,
      cluster: request.cluster,
      kind: 'Pod',
      namespace: request.namespace,
      name: request.pod,
      reason: request.reason,
    },
    options,
    async authorize => {
      const resolved = sessions.resolve(
        request.cluster,
        'Pod',
        request.namespace,
        request.pod,
      );
      const target = {
        ...resolved,
        ...(await authorize(clustersPodLogsPermission)),
      };
      const live = target.admin
        ? undefined
        : await sessions.guard.existing(target, false);
      const path = `${objectPath(
        target.kind,
        target.namespace,
        target.name,
      )}/log`;
      // The API server answers 204 with no body for a pod without a node (LogLocation has no
      // location), which KubeClient hands back as empty. An empty answer is only then told
      // apart from an empty log: by the pod having no node.
      const notStarted = async () => {
        const pod = live?.spec?.nodeName
          ? live
          : await sessions.guard.live(target);
        return Boolean(pod && !pod.spec?.nodeName);
      };
      if (request.follow) {
        const upstream = await target.client.stream(
          { verb: 'logs', method: 'GET', path, query },
          options.signal ?? new AbortController().signal,
        );
        return { stream: explainEmptyLog(upstream, notStarted) };
      }
      const text = await target.client.requestText({
        verb: 'logs',
        method: 'GET',
        path,
        query,
        retry: 'idempotent',
      });
      return {
        text: text === '' && (await notStarted()) ? POD_NOT_STARTED : text,
      };
    },
  );
  return { auditId, ...result };
}
