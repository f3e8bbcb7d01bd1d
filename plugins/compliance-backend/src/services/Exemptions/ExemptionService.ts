import type {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  complianceExemptionApprovePermission,
  complianceExemptionRequestPermission,
  CreateExemptionRequest,
  decisionProblem,
  DecideExemptionRequest,
  effectiveState,
  Exemption,
  ExemptionDto,
  expiringSoon,
  validateExemptionRequest,
} from '@careplane/plugin-compliance-common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import type { ComplianceStore } from '../../database/ComplianceStore';

/** @internal */
export interface ExemptionServiceOptions {
  store: ComplianceStore;
  permissions: PermissionsService;
  auditor: AuditorService;
  checkIds: ReadonlySet<string>;
  /** Called after a decision or expiry so the entity's score is recorded again. */
  rescore(entityRef: string): Promise<void>;
  now?: () => number;
}

/** What a person did, as the router passes it. @internal */
export interface Actor {
  userEntityRef: string;
  credentials: BackstageCredentials;
  request?: Request;
}

/**
 * Exemptions: requested by the entity's owners (`compliance.exemption.request` on the entity),
 * decided by someone else holding `compliance.exemption.approve` (four-eyes: never the requester),
 * expired by the scheduler. Every request, decision and expiry is audited.
 * @internal
 */
export class ExemptionService {
  constructor(private readonly o: ExemptionServiceOptions) {}

  private now() {
    return this.o.now?.() ?? Date.now();
  }

  toDto(e: Exemption): ExemptionDto {
    const now = this.now();
    return {
      ...e,
      state: effectiveState(e, now),
      expiringSoon: expiringSoon(e, now),
    };
  }

  async list(entityRef?: string): Promise<ExemptionDto[]> {
    return (await this.o.store.listExemptions(entityRef)).map(e =>
      this.toDto(e),
    );
  }

  async request(
    input: CreateExemptionRequest,
    actor: Actor,
  ): Promise<ExemptionDto> {
    let entityRef: string;
    try {
      entityRef = stringifyEntityRef(parseEntityRef(input.entityRef));
    } catch {
      throw new InputError(
        `entityRef: '${input.entityRef}' is not an entity ref such as component:default/e-prescribing`,
      );
    }
    const audit = await this.o.auditor.createEvent({
      eventId: 'exemption-request',
      severityLevel: 'medium',
      request: actor.request,
      meta: {
        entityRef,
        checkId: input.checkId,
        target: input.target ?? '*',
        expiresAt: input.expiresAt,
      },
    });
    try {
      const [decision] = await this.o.permissions.authorize(
        [
          {
            permission: complianceExemptionRequestPermission,
            resourceRef: entityRef,
          },
        ],
        { credentials: actor.credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `You may not request exemptions for ${entityRef}: only its owners and platform admins may`,
        );
      }
      const problems = validateExemptionRequest(
        input,
        this.o.checkIds,
        this.now(),
      );
      if (problems.length) throw new InputError(problems.join('; '));
      const exemption: Exemption = {
        id: randomUUID(),
        entityRef,
        checkId: input.checkId,
        target: input.target ?? '*',
        justification: input.justification.trim(),
        requestedBy: actor.userEntityRef,
        requestedAt: new Date(this.now()).toISOString(),
        expiresAt: new Date(input.expiresAt).toISOString(),
        state: 'pending',
      };
      await this.o.store.insertExemption(exemption);
      await audit.success({ meta: { exemptionId: exemption.id } });
      return this.toDto(exemption);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  }

  async decide(
    id: string,
    body: DecideExemptionRequest,
    actor: Actor,
  ): Promise<ExemptionDto> {
    const audit = await this.o.auditor.createEvent({
      eventId: 'exemption-decision',
      severityLevel: 'high',
      request: actor.request,
      meta: { exemptionId: id, decision: body.decision },
    });
    try {
      const [decision] = await this.o.permissions.authorize(
        [{ permission: complianceExemptionApprovePermission }],
        { credentials: actor.credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          'You may not decide exemptions: it needs compliance.exemption.approve (platform admins)',
        );
      }
      const e = await this.o.store.getExemption(id);
      if (!e) throw new NotFoundError(`No exemption ${id}`);
      const now = this.now();
      let from: Exemption['state'] = 'pending';
      let state: Exemption['state'];
      if (body.decision === 'revoke') {
        if (effectiveState(e, now) !== 'approved')
          throw new ConflictError(
            `The exemption is ${effectiveState(
              e,
              now,
            )}; only an approved one can be revoked`,
          );
        from = 'approved';
        state = 'revoked';
      } else {
        const problem = decisionProblem(e, actor.userEntityRef, now);
        if (problem)
          throw problem.includes('four-eyes')
            ? new NotAllowedError(problem)
            : new ConflictError(problem);
        state = body.decision === 'approve' ? 'approved' : 'rejected';
      }
      const patch = {
        state,
        decidedBy: actor.userEntityRef,
        decidedAt: new Date(now).toISOString(),
        decisionComment: body.comment,
      };
      if (!(await this.o.store.updateExemption(id, from, patch)))
        throw new ConflictError(
          'The exemption was decided by someone else meanwhile',
        );
      await audit.success({
        meta: { entityRef: e.entityRef, checkId: e.checkId, state },
      });
      await this.o.rescore(e.entityRef);
      return this.toDto({ ...e, ...patch });
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  }

  /** Marks exemptions past their expiry as expired (audited) and rescores their entities. */
  async expire(): Promise<number> {
    const now = this.now();
    let n = 0;
    for (const e of await this.o.store.listExemptions()) {
      if (
        (e.state === 'approved' || e.state === 'pending') &&
        Date.parse(e.expiresAt) <= now
      ) {
        if (
          await this.o.store.updateExemption(e.id, e.state, {
            state: 'expired',
          })
        ) {
          n++;
          const audit = await this.o.auditor.createEvent({
            eventId: 'exemption-expiry',
            severityLevel: 'medium',
            meta: {
              exemptionId: e.id,
              entityRef: e.entityRef,
              checkId: e.checkId,
            },
          });
          await audit.success();
          await this.o.rescore(e.entityRef);
        }
      }
    }
    return n;
  }
}
