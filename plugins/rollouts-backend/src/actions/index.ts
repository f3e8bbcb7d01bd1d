import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { EntityOwners } from '../services/EntityOwners';
import type { FleetIndex } from '../services/FleetIndex';
import type { RolloutActionsDeps } from '../services/RolloutActions';
import { createStatusAction } from './createStatusAction';
import { createWaitingAction } from './createWaitingAction';
import { createWriteAction } from './createWriteAction';

/** Registers `rollouts:status`, `rollouts:waiting`, `rollouts:promote` and `rollouts:abort`. */
export function registerActions(
  options: RolloutActionsDeps & {
    actionsRegistry: ActionsRegistryService;
    fleet: FleetIndex;
    owners: EntityOwners;
  },
) {
  createStatusAction(options);
  createWaitingAction(options);
  createWriteAction('promote', options);
  createWriteAction('abort', options);
}
