import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ClustersService } from '@careplane/plugin-clusters-node';
import type {
  KubeObject,
  ObjectEnvelope,
  ObjectsResponse,
} from '@careplane/plugin-clusters-common';
import {
  deriveRunState,
  isPendingWorkload,
  LABEL_KUEUE_JOB_UID,
  LABEL_TRAINING_RUN,
  queuePosition,
  RunState,
  TrainingRuntime,
} from '@careplane/plugin-training-common';
import type { RunRecord } from '../../database/RunStore';
import type { RunObjects } from './types';

/** How each runtime's controller labels the pods it makes (the Job's pods carry our own label). */
export function podSelector(run: RunRecord): string {
  switch (run.parameters.runtime) {
    case 'trainjob':
      return `jobset.sigs.k8s.io/jobset-name=${run.objectName}`;
    case 'pytorchjob':
      return `training.kubeflow.org/job-name=${run.objectName}`;
    default:
      return `${LABEL_TRAINING_RUN}=${run.id}`;
  }
}

function items(response: ObjectsResponse, cluster: string) {
  const c = response.clusters.find(r => r.cluster === cluster);
  return {
    items: c?.items ?? [],
    ok: c?.status === 'ok' || c?.status === 'not-installed',
  };
}

/**
 * The run's object, Workload and pods from the hub's cache. Reads go under the plugin's own
 * credentials: the hub serves label-selector queries to services only, and these are reads of
 * the cache (no cluster call, nothing written).
 */
export async function readRunObjects(
  clusters: ClustersService,
  credentials: BackstageCredentials,
  run: RunRecord,
): Promise<RunObjects> {
  const options = { credentials };
  const [objects, pods] = await Promise.all([
    clusters.getObjects(
      {
        selector: {
          labelSelector: `${LABEL_TRAINING_RUN}=${run.id}`,
          namespace: run.namespace,
        },
        kinds: [run.kind],
        clusters: [run.cluster],
      },
      options,
    ),
    clusters.getObjects(
      {
        selector: { labelSelector: podSelector(run), namespace: run.namespace },
        kinds: ['Pod'],
        clusters: [run.cluster],
      },
      options,
    ),
  ]);
  const own = items(objects, run.cluster);
  const object = own.items.find(o => o.name === run.objectName);
  let workload: ObjectEnvelope | undefined;
  let workloadsOk = true;
  const uid = object?.object.metadata.uid;
  if (uid && run.parameters.queue) {
    const wl = items(
      await clusters.getObjects(
        {
          selector: {
            labelSelector: `${LABEL_KUEUE_JOB_UID}=${uid}`,
            namespace: run.namespace,
          },
          kinds: ['Workload'],
          clusters: [run.cluster],
        },
        options,
      ),
      run.cluster,
    );
    workload = wl.items[0];
    workloadsOk = wl.ok;
  }
  const p = items(pods, run.cluster);
  return {
    object,
    workload,
    pods: p.items,
    fresh: own.ok && p.ok && workloadsOk,
  };
}

/** Position of a pending Workload among every pending Workload of its ClusterQueue. */
async function positionOf(
  clusters: ClustersService,
  credentials: BackstageCredentials,
  run: RunRecord,
  workload: KubeObject,
): Promise<number | undefined> {
  if (!isPendingWorkload(workload)) return undefined;
  const all = await clusters.getObjects(
    {
      selector: { labelSelector: LABEL_KUEUE_JOB_UID },
      kinds: ['Workload'],
      clusters: [run.cluster],
    },
    { credentials },
  );
  const queues = await clusters.getObjects(
    {
      selector: { labelSelector: '' },
      kinds: ['LocalQueue'],
      clusters: [run.cluster],
    },
    { credentials },
  );
  const wls = items(all, run.cluster).items;
  const lqs = items(queues, run.cluster).items;
  return queuePosition(
    workload,
    wls.map(w => w.object),
    lqs.map(q => q.object),
  );
}

/**
 * The run's state now, from the cache; `undefined` when the cache could not answer for the
 * cluster and the object is missing (the last recorded state stands rather than a guess).
 */
export async function observeRun(
  clusters: ClustersService,
  credentials: BackstageCredentials,
  run: RunRecord,
): Promise<{ state: RunState; uid?: string; seen: boolean } | undefined> {
  const found = await readRunObjects(clusters, credentials, run);
  // Missing from the cache: gone only if the cache had it before and answers now; before its
  // first sighting (the cache may lag the create by a moment) the recorded state stands.
  if (!found.object && (!found.fresh || !run.objectSeen)) return undefined;
  const position = found.workload
    ? await positionOf(clusters, credentials, run, found.workload.object)
    : undefined;
  const state = deriveRunState({
    runtime: run.parameters.runtime as TrainingRuntime,
    object: found.object?.object,
    workload: found.workload?.object,
    pods: found.pods.map(p => p.object),
    position,
    seenBefore: run.objectSeen,
    cancelled: run.cancelledBy
      ? { by: run.cancelledBy, reason: run.cancelReason }
      : undefined,
  });
  return {
    state,
    uid: found.object?.object.metadata.uid,
    seen: Boolean(found.object),
  };
}
