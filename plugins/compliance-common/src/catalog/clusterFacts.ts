import { fail, notApplicable, pass, unknown } from '../pod';
import type { CheckOutcome, EvalContext } from '../types';

/** The label a cluster carries for a platform fact, e.g. `compliance.careplane.io/audit-logging`. @public */
export const clusterFactLabel = (fact: string) =>
  `compliance.careplane.io/${fact}`;

/**
 * Evaluates a cluster-level fact from the labels of the clusters the entity runs on: `true` on
 * every cluster passes, `false` on any fails, a missing label is `unknown` (never a pass).
 */
export function clusterFact(fact: string, what: string) {
  return (_o: unknown, ctx: EvalContext): CheckOutcome => {
    if (ctx.clusters.length === 0)
      return notApplicable('The entity runs on no cluster');
    const label = clusterFactLabel(fact);
    const evidence = ctx.clusters.map(c => ({
      object: `Cluster ${c.name}`,
      path: `labels['${label}']`,
      value: c.labels[label] ?? 'absent',
    }));
    const values = ctx.clusters.map(c => c.labels[label]);
    if (values.some(v => v === 'false'))
      return fail(`${what} is off on a cluster`, evidence);
    if (values.some(v => v !== 'true')) {
      return {
        ...unknown(`No cluster fact '${label}' reported: label the cluster`),
        evidence,
      };
    }
    return pass(`${what} on every cluster`, evidence);
  };
}
