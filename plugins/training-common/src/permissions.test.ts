import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  trainingPermissions,
  trainingRunCancelPermission,
  trainingRunCreatePermission,
} from './permissions';
import { trainingKinds } from './kinds';

describe('permissions and kinds', () => {
  it('launch and cancel are resource permissions on the owning entity', () => {
    for (const p of [
      trainingRunCreatePermission,
      trainingRunCancelPermission,
    ]) {
      expect(p).toMatchObject({
        type: 'resource',
        resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
      });
    }
    expect(trainingPermissions.map(p => p.name)).toEqual([
      'training.run.create',
      'training.run.cancel',
      'training.run.read',
    ]);
  });

  it('describes the Kubeflow and Kueue kinds', () => {
    expect(
      trainingKinds.map(k => `${k.kind} ${k.group}/${k.version} ${k.plural}`),
    ).toEqual([
      'TrainJob trainer.kubeflow.org/v1alpha1 trainjobs',
      'PyTorchJob kubeflow.org/v1 pytorchjobs',
      'Workload kueue.x-k8s.io/v1beta2 workloads',
      'LocalQueue kueue.x-k8s.io/v1beta2 localqueues',
      'ClusterQueue kueue.x-k8s.io/v1beta2 clusterqueues',
    ]);
  });
});
