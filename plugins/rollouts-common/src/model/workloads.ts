import type { KubeObject } from '@careplane/plugin-clusters-common';
import {
  lastTransition,
  noFacts,
  ownedBy,
  RelatedObjects,
  rolePods,
  templateImages,
} from './common';
import type { RolePods, RolloutPhase, RolloutView } from './types';

/** Annotation with a Deployment's (and its ReplicaSets') revision. */
export const DEPLOYMENT_REVISION_ANNOTATION =
  'deployment.kubernetes.io/revision';

/**
 * Rule F (`DeploymentStatusViewer.Status` of kubectl), plus `Paused` ⇐ `spec.paused` (§1.4-G).
 * Returns the phase and kubectl's own words.
 */
export function deploymentRolloutStatus(d: KubeObject): {
  phase: RolloutPhase;
  message: string;
} {
  const name = d.metadata.name;
  const status = d.status ?? {};
  const generation = d.metadata.generation ?? 0;
  if (generation > (status.observedGeneration ?? 0)) {
    return {
      phase: 'Progressing',
      message: 'Waiting for deployment spec update to be observed...',
    };
  }
  const progressing = (status.conditions ?? []).find(
    (c: any) => c.type === 'Progressing',
  );
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      phase: 'Degraded',
      message: `deployment "${name}" exceeded its progress deadline`,
    };
  }
  if (d.spec?.paused) {
    return {
      phase: 'Paused',
      message: `deployment "${name}" is paused (spec.paused)`,
    };
  }
  const desired = d.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const replicas = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const waiting = `Waiting for deployment "${name}" rollout to finish:`;
  if (updated < desired) {
    return {
      phase: 'Progressing',
      message: `${waiting} ${updated} out of ${desired} new replicas have been updated...`,
    };
  }
  if (replicas > updated) {
    return {
      phase: 'Progressing',
      message: `${waiting} ${
        replicas - updated
      } old replicas are pending termination...`,
    };
  }
  if (available < updated) {
    return {
      phase: 'Progressing',
      message: `${waiting} ${available} of ${updated} updated replicas are available...`,
    };
  }
  return {
    phase: 'Healthy',
    message: `deployment "${name}" successfully rolled out`,
  };
}

/** The StatefulSet rules of kubectl (`StatefulSetStatusViewer.Status`). */
export function statefulSetRolloutStatus(s: KubeObject): {
  phase: RolloutPhase;
  message: string;
} {
  const status = s.status ?? {};
  const type = s.spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (type !== 'RollingUpdate') {
    return {
      phase: 'Unknown',
      message:
        'rollout status is only available for RollingUpdate strategy type',
    };
  }
  const observed = status.observedGeneration ?? 0;
  if (observed === 0 || (s.metadata.generation ?? 0) > observed) {
    return {
      phase: 'Progressing',
      message: 'Waiting for statefulset spec update to be observed...',
    };
  }
  const desired = s.spec?.replicas ?? 1;
  const ready = status.readyReplicas ?? 0;
  if (ready < desired) {
    return {
      phase: 'Progressing',
      message: `Waiting for ${desired - ready} pods to be ready...`,
    };
  }
  const partition = s.spec?.updateStrategy?.rollingUpdate?.partition;
  if (typeof partition === 'number') {
    const want = desired - partition;
    if ((status.updatedReplicas ?? 0) < want) {
      return {
        phase: 'Progressing',
        message: `Waiting for partitioned roll out to finish: ${
          status.updatedReplicas ?? 0
        } out of ${want} new pods have been updated...`,
      };
    }
    return {
      phase: 'Healthy',
      message: `partitioned roll out complete: ${
        status.updatedReplicas ?? 0
      } new pods have been updated...`,
    };
  }
  if (status.updateRevision !== status.currentRevision) {
    return {
      phase: 'Progressing',
      message: `waiting for statefulset rolling update to complete ${
        status.updatedReplicas ?? 0
      } pods at revision ${status.updateRevision}...`,
    };
  }
  return {
    phase: 'Healthy',
    message: `statefulset rolling update complete ${
      status.currentReplicas ?? 0
    } pods at revision ${status.currentRevision}...`,
  };
}

function deploymentPods(d: KubeObject, related: RelatedObjects): RolePods[] {
  const revision = d.metadata.annotations?.[DEPLOYMENT_REVISION_ANNOTATION];
  const rss = (related.replicaSets ?? []).filter(rs => ownedBy(rs, d));
  const current = rss.find(
    rs =>
      rs.metadata.annotations?.[DEPLOYMENT_REVISION_ANNOTATION] === revision,
  );
  const status = d.status ?? {};
  const updated: RolePods = {
    role: 'updated',
    revision,
    replicas: status.updatedReplicas ?? 0,
    ready:
      current?.status?.readyReplicas ??
      Math.min(status.readyReplicas ?? 0, status.updatedReplicas ?? 0),
    available:
      current?.status?.availableReplicas ??
      Math.min(status.availableReplicas ?? 0, status.updatedReplicas ?? 0),
  };
  const oldReplicas = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  if (oldReplicas <= 0) return [updated];
  const old = rss.filter(
    rs => rs !== current && (rs.status?.replicas ?? 0) > 0,
  );
  return [
    updated,
    old.length === 1
      ? rolePods(
          'old',
          old[0],
          old[0].metadata.annotations?.[DEPLOYMENT_REVISION_ANNOTATION],
        )
      : {
          role: 'old',
          replicas: oldReplicas,
          ready: Math.max(0, (status.readyReplicas ?? 0) - updated.ready),
          available: Math.max(
            0,
            (status.availableReplicas ?? 0) - updated.available,
          ),
        },
  ];
}

function view(
  obj: KubeObject,
  kind: 'Deployment' | 'StatefulSet',
  phase: RolloutPhase,
  message: string,
  extra: Partial<RolloutView>,
): RolloutView {
  return {
    kind,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
    phase,
    message: `${phase}: ${message}`,
    strategy: 'rollingUpdate',
    images: templateImages(obj.spec?.template),
    pods: [],
    analysis: [],
    lastTransition: lastTransition(obj.status?.conditions),
    waitingForHuman: phase === 'Degraded' || phase === 'Paused',
    facts: {
      ...noFacts,
      specPaused: Boolean(obj.spec?.paused),
      generationObserved:
        (obj.metadata.generation ?? 0) <= (obj.status?.observedGeneration ?? 0),
    },
    ...extra,
  };
}

/** The model of a Deployment (rule F). */
export function deriveDeployment(
  d: KubeObject,
  related: RelatedObjects = {},
): RolloutView {
  const { phase, message } = deploymentRolloutStatus(d);
  return view(d, 'Deployment', phase, message, {
    strategy:
      d.spec?.strategy?.type === 'Recreate' ? 'recreate' : 'rollingUpdate',
    revision: d.metadata.annotations?.[DEPLOYMENT_REVISION_ANNOTATION],
    pods: deploymentPods(d, related),
    degradedReason: phase === 'Degraded' ? 'TimedOut' : undefined,
    pause:
      phase === 'Paused'
        ? { reason: 'ManualPause', needsHuman: true }
        : undefined,
  });
}

/** The model of a StatefulSet (kubectl's StatefulSet rules). */
export function deriveStatefulSet(s: KubeObject): RolloutView {
  const { phase, message } = statefulSetRolloutStatus(s);
  const status = s.status ?? {};
  const pods: RolePods[] = [
    {
      role: 'updated',
      revision: status.updateRevision,
      replicas: status.updatedReplicas ?? 0,
      ready: Math.min(status.readyReplicas ?? 0, status.updatedReplicas ?? 0),
      available: Math.min(
        status.availableReplicas ?? status.readyReplicas ?? 0,
        status.updatedReplicas ?? 0,
      ),
    },
  ];
  const old = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  if (old > 0) {
    pods.push({
      role: 'old',
      revision: status.currentRevision,
      replicas: old,
      ready: Math.max(0, (status.readyReplicas ?? 0) - pods[0].ready),
      available: Math.max(
        0,
        (status.availableReplicas ?? 0) - pods[0].available,
      ),
    });
  }
  return view(s, 'StatefulSet', phase, message, {
    strategy:
      s.spec?.updateStrategy?.type === 'OnDelete'
        ? 'onDelete'
        : 'rollingUpdate',
    revision: status.updateRevision,
    pods,
  });
}
