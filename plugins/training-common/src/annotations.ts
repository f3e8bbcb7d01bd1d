/*
 * Annotations and labels of GPU training runs. The catalog annotation `careplane.io/training-queue`
 * is defined here; clusters-common keeps a deprecated re-export for old callers.
 */

/**
 * Catalog annotation: the Kueue LocalQueue the owning team launches its training runs into, as
 * `<queue>` or `<namespace>/<queue>` (when the queue is not in the entity's own namespace).
 * @public
 */
export const ANNOTATION_TRAINING_QUEUE = 'careplane.io/training-queue';

/**
 * Label that puts a job in a Kueue LocalQueue (the annotation form was removed in Kueue v0.15).
 * @public
 */
export const LABEL_KUEUE_QUEUE_NAME = 'kueue.x-k8s.io/queue-name';

/**
 * Label Kueue puts on the Workload of a job: the job's uid.
 * @public
 */
export const LABEL_KUEUE_JOB_UID = 'kueue.x-k8s.io/job-uid';

/**
 * Label Careplane puts on a run's object and pods: the run's id.
 * @public
 */
export const LABEL_TRAINING_RUN = 'careplane.io/training-run';

/**
 * Annotation Careplane puts on a run's object: who launched it (a user entity ref).
 * @public
 */
export const ANNOTATION_LAUNCHED_BY = 'careplane.io/launched-by';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A parsed {@link ANNOTATION_TRAINING_QUEUE}.
 * @public
 */
export interface TrainingQueueRef {
  /** Namespace of the LocalQueue when the annotation names one. */
  namespace?: string;
  /** Name of the LocalQueue. */
  queue: string;
}

/**
 * Parses the value of {@link ANNOTATION_TRAINING_QUEUE}: `<queue>` or `<namespace>/<queue>`,
 * each a DNS-1123 label. Returns an error in words for a malformed value.
 * @public
 */
export function parseTrainingQueue(
  value: string | undefined,
): { ok: true; value: TrainingQueueRef } | { ok: false; error: string } {
  const raw = (value ?? '').trim();
  if (!raw) {
    return {
      ok: false,
      error: `Annotation ${ANNOTATION_TRAINING_QUEUE} is empty; set it to the team's Kueue LocalQueue, e.g. 'ml-platform' or 'ml-platform/ml-platform'`,
    };
  }
  const parts = raw.split('/');
  const bad = (what: string) => ({
    ok: false as const,
    error: `Annotation ${ANNOTATION_TRAINING_QUEUE} '${raw}' is malformed: ${what}; use '<queue>' or '<namespace>/<queue>' (lower-case DNS labels)`,
  });
  if (parts.length > 2) return bad('more than one /');
  for (const p of parts) {
    if (!DNS_LABEL.test(p) || p.length > 63) {
      return bad(`'${p}' is not a DNS label`);
    }
  }
  return parts.length === 2
    ? { ok: true, value: { namespace: parts[0], queue: parts[1] } }
    : { ok: true, value: { queue: parts[0] } };
}
