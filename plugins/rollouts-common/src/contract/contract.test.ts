import type { z } from 'zod';
import type { BudgetVerdict } from '../budget';
import type { RevisionEntry } from '../model/history';
import type { RolloutView } from '../model/types';
import type { SloSpec } from '../slo';
import type {
  ActionResponse,
  ClusterGate,
  ClusterRollout,
  EntityRolloutsResponse,
  GateResponse,
  WaitingItem,
  WaitingResponse,
} from './responses';
import {
  actionResponseSchema,
  clusterGateSchema,
  clusterRolloutSchema,
  entityRolloutsResponseSchema,
  gateResponseSchema,
  revisionEntrySchema,
  rolloutViewSchema,
  sloSpecSchema,
  waitingItemSchema,
  waitingResponseSchema,
} from './schemas';
import { rolloutsRoutes } from './routes';

/** true only when A and B are the same type. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// Compile-time: each schema infers exactly its documented interface (tsc fails otherwise).
const agree: [
  Same<z.infer<typeof rolloutViewSchema>, RolloutView>,
  Same<z.infer<typeof revisionEntrySchema>, RevisionEntry>,
  Same<z.infer<typeof clusterRolloutSchema>, ClusterRollout>,
  Same<z.infer<typeof entityRolloutsResponseSchema>, EntityRolloutsResponse>,
  Same<z.infer<typeof waitingItemSchema>, WaitingItem>,
  Same<z.infer<typeof waitingResponseSchema>, WaitingResponse>,
  Same<z.infer<typeof sloSpecSchema>, SloSpec>,
  Same<z.infer<typeof clusterGateSchema>, ClusterGate>,
  Same<
    Omit<z.infer<typeof clusterGateSchema>, 'cluster' | 'errorRatios'>,
    BudgetVerdict
  >,
  Same<z.infer<typeof gateResponseSchema>, GateResponse>,
  Same<z.infer<typeof actionResponseSchema>, ActionResponse>,
] = [true, true, true, true, true, true, true, true, true, true, true];

describe('the rollouts contract', () => {
  it('schemas and interfaces agree (checked by tsc)', () => {
    expect(agree.every(Boolean)).toBe(true);
  });

  it('splits the clusters filter', () => {
    expect(
      rolloutsRoutes.entityRollouts.query.parse({ clusters: 'a,b' }),
    ).toEqual({ clusters: ['a', 'b'] });
    expect(rolloutsRoutes.entityRollouts.query.parse({})).toEqual({
      clusters: undefined,
    });
  });
});
