import type { KubeObject } from '@careplane/plugin-clusters-common';
import { ownedBy, templateImages } from './common';
import { ROLLOUT_HASH_LABEL, ROLLOUT_REVISION_ANNOTATION } from './argo';
import { DEPLOYMENT_REVISION_ANNOTATION } from './workloads';

/**
 * One revision of a Rollout or Deployment, from its ReplicaSets.
 * @public
 */
export interface RevisionEntry {
  revision: number;
  /** The ReplicaSet that holds it. */
  replicaSet: string;
  /** Pod-template hash (`rollouts-pod-template-hash` / `pod-template-hash`). */
  podTemplateHash?: string;
  images: string[];
  /** When the ReplicaSet was created. */
  createdAt?: string;
  /** `kubernetes.io/change-cause`, when someone recorded one. */
  changeCause?: string;
  /** Pods it runs now. */
  replicas: number;
  /** The revision the object runs (desired) now. */
  current: boolean;
}

/**
 * The revision history of a Rollout or Deployment from the ReplicaSets it owns, newest first.
 * Empty for other kinds.
 * @public
 */
export function revisionHistory(
  obj: KubeObject,
  replicaSets: KubeObject[],
): RevisionEntry[] {
  const isRollout = obj.kind === 'Rollout';
  if (!isRollout && obj.kind !== 'Deployment') return [];
  const annotation = isRollout
    ? ROLLOUT_REVISION_ANNOTATION
    : DEPLOYMENT_REVISION_ANNOTATION;
  const hashLabel = isRollout ? ROLLOUT_HASH_LABEL : 'pod-template-hash';
  const currentHash = isRollout ? obj.status?.currentPodHash : undefined;
  const currentRevision = isRollout
    ? undefined
    : obj.metadata.annotations?.[DEPLOYMENT_REVISION_ANNOTATION];
  return replicaSets
    .filter(rs => ownedBy(rs, obj))
    .map(rs => {
      const revision = Number(rs.metadata.annotations?.[annotation]);
      const hash = rs.metadata.labels?.[hashLabel];
      return {
        revision,
        replicaSet: rs.metadata.name,
        podTemplateHash: hash,
        images: templateImages(rs.spec?.template),
        createdAt: rs.metadata.creationTimestamp,
        changeCause: rs.metadata.annotations?.['kubernetes.io/change-cause'],
        replicas: rs.status?.replicas ?? 0,
        current: isRollout
          ? hash !== undefined && hash === currentHash
          : rs.metadata.annotations?.[annotation] === currentRevision,
      };
    })
    .filter(e => Number.isInteger(e.revision) && e.revision > 0)
    .sort((a, b) => b.revision - a.revision);
}
