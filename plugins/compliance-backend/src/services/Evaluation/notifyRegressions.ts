import type { NotificationService } from '@backstage/plugin-notifications-node';
import { parseEntityRef } from '@backstage/catalog-model';
import type { CheckDefinition } from '@careplane/plugin-compliance-common';
import type { ResultChange } from '../../database/ComplianceStore';

const SEVERITY = {
  critical: 'critical',
  high: 'high',
  medium: 'normal',
  low: 'low',
} as const;

/**
 * "Was passing, now failing" to the owning team, once per change: `changes` are the status changes
 * this backend won in the database, so another instance never sends the same one.
 * @internal
 */
export async function notifyRegressions(
  notifications: NotificationService,
  owner: string,
  changes: ResultChange[],
  catalog: ReadonlyMap<string, CheckDefinition>,
): Promise<number> {
  const regressions = changes.filter(
    c =>
      c.status === 'fail' &&
      (c.previousStatus === 'pass' ||
        c.previousStatus === 'warn' ||
        c.previousStatus === 'exempt'),
  );
  for (const c of regressions) {
    const e = parseEntityRef(c.entityRef);
    const check = catalog.get(c.checkId);
    await notifications.send({
      recipients: { type: 'entity', entityRef: owner },
      payload: {
        title: `${e.name}: ${c.checkId} was passing, now failing`,
        description: `${check?.title ?? c.checkId} (${
          check?.hipaa.join(', ') ?? ''
        }) on ${c.target}: ${c.message}`,
        link: `/catalog/${e.namespace}/${e.kind.toLocaleLowerCase('en-US')}/${
          e.name
        }/compliance`,
        severity: SEVERITY[c.severity],
        topic: 'compliance-regression',
        scope: `compliance:${c.entityRef}:${c.checkId}:${c.target}:${c.changedAt}`,
      },
    });
  }
  return regressions.length;
}
