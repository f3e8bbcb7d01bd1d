/**
 * The Careplane rollouts frontend plugin (new frontend system): the entity Rollouts tab and card
 * and the "Waiting for you" fleet page, live over the clusters SSE stream.
 *
 * @packageDocumentation
 */

export { rolloutsPlugin as default } from './plugin';
export { rolloutsApiRef } from './api/RolloutsApi';
export type { RolloutsApi } from './api/RolloutsApi';
export { RolloutsClient } from './api/RolloutsClient';
export { hasRollouts } from './extensions/entityContent';
