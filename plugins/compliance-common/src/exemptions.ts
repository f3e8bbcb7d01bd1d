import type { ResultStatus } from './types';

/** @public */
export type ExemptionState =
  | 'pending'
  | 'approved'
  | 'rejected'
  | 'revoked'
  | 'expired';

/**
 * An exemption: one entity, all checks (`*`) or one check, all objects (`*`) or one object.
 * @public
 */
export interface Exemption {
  id: string;
  entityRef: string;
  checkId: string;
  target: string;
  justification: string;
  requestedBy: string;
  requestedAt: string;
  expiresAt: string;
  state: ExemptionState;
  decidedBy?: string;
  decidedAt?: string;
  decisionComment?: string;
}

/** What a person asks for. @public */
export interface ExemptionRequestInput {
  entityRef: string;
  checkId: string;
  target?: string;
  justification: string;
  expiresAt: string;
}

/** Longest an exemption may last. @public */
export const MAX_EXEMPTION_DAYS = 366;
/** Exemptions expiring within this many days are flagged. @public */
export const EXPIRING_SOON_DAYS = 14;

/**
 * Problems with a request, in words that say what to fix; empty when it is fine.
 * @public
 */
export function validateExemptionRequest(
  input: ExemptionRequestInput,
  knownCheckIds: ReadonlySet<string>,
  now: number,
): string[] {
  const problems: string[] = [];
  if (!input.justification || input.justification.trim().length < 10) {
    problems.push(
      'justification: say why the exemption is needed (at least 10 characters)',
    );
  }
  const expires = Date.parse(input.expiresAt);
  if (Number.isNaN(expires)) {
    problems.push(
      'expiresAt: give an ISO 8601 date, e.g. 2027-01-31T00:00:00Z',
    );
  } else if (expires <= now) {
    problems.push(
      `expiresAt: ${input.expiresAt} is in the past; choose a future date`,
    );
  } else if (expires - now > MAX_EXEMPTION_DAYS * 86_400_000) {
    problems.push(
      `expiresAt: an exemption lasts at most ${MAX_EXEMPTION_DAYS} days`,
    );
  }
  if (input.checkId !== '*' && !knownCheckIds.has(input.checkId)) {
    problems.push(`checkId: '${input.checkId}' is not a check of the catalog`);
  }
  return problems;
}

/**
 * Why `decider` may not approve or reject the exemption now, or undefined when they may. The
 * four-eyes rule: the requester never decides their own exemption, whatever their permissions.
 * @public
 */
export function decisionProblem(
  exemption: Exemption,
  decider: string,
  now: number,
): string | undefined {
  if (exemption.requestedBy === decider) {
    return 'You requested this exemption; another person must approve it (four-eyes rule)';
  }
  if (effectiveState(exemption, now) !== 'pending') {
    return `The exemption is ${effectiveState(exemption, now)}, not pending`;
  }
  return undefined;
}

/** The state at `now` (an approved or pending exemption past its expiry is `expired`). @public */
export function effectiveState(e: Exemption, now: number): ExemptionState {
  if (
    (e.state === 'approved' || e.state === 'pending') &&
    Date.parse(e.expiresAt) <= now
  )
    return 'expired';
  return e.state;
}

/** Whether an approved exemption expires within {@link EXPIRING_SOON_DAYS}. @public */
export function expiringSoon(
  e: Exemption,
  now: number,
  days = EXPIRING_SOON_DAYS,
): boolean {
  return (
    effectiveState(e, now) === 'approved' &&
    Date.parse(e.expiresAt) - now <= days * 86_400_000
  );
}

/** Whether an exemption covers a result. @public */
export function covers(
  e: Pick<Exemption, 'entityRef' | 'checkId' | 'target'>,
  r: { entityRef: string; checkId: string; target: string },
): boolean {
  return (
    e.entityRef === r.entityRef &&
    (e.checkId === '*' || e.checkId === r.checkId) &&
    (e.target === '*' || e.target === r.target)
  );
}

/**
 * The status shown for a result: `exempt` when it fails or warns and an approved, unexpired
 * exemption covers it; the result's own status otherwise.
 * @public
 */
export function applyExemptions<
  R extends {
    entityRef: string;
    checkId: string;
    target: string;
    status: ResultStatus;
  },
>(
  results: ReadonlyArray<R>,
  exemptions: ReadonlyArray<Exemption>,
  now: number,
): Array<R & { exemptionId?: string }> {
  const active = exemptions.filter(e => effectiveState(e, now) === 'approved');
  return results.map(r => {
    if (r.status !== 'fail' && r.status !== 'warn') return r;
    const e = active.find(x => covers(x, r));
    return e ? { ...r, status: 'exempt' as const, exemptionId: e.id } : r;
  });
}
