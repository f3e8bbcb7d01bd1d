import { createBackendModule } from '@backstage/backend-plugin-api';
import { clustersKindsExtensionPoint } from '@careplane/plugin-clusters-node';
import { trainingKinds } from '@careplane/plugin-training-common';

/**
 * Makes the kinds training runs use known to the clusters plugin at start: TrainJob, PyTorchJob
 * and Kueue's Workload, LocalQueue and ClusterQueue.
 * @public
 */
export const clustersModuleTrainingKinds = createBackendModule({
  pluginId: 'clusters',
  moduleId: 'training-kinds',
  register(reg) {
    reg.registerInit({
      deps: { kinds: clustersKindsExtensionPoint },
      async init({ kinds }) {
        kinds.addKinds([...trainingKinds]);
      },
    });
  },
});
