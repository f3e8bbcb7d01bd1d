import { labelSelectorFromObject } from '../selectors';
import { fnv32, K8sObject } from '../util';
import {
  Ctl,
  intOrPercent,
  iso,
  podReady,
  podTerminal,
  setCondition,
} from './context';

/** Reports HorizontalPodAutoscaler status from its target (the simulator does not autoscale). */
export function reconcileHpa(ctl: Ctl, hpa: K8sObject): void {
  const { cluster, now } = ctl;
  const ref = hpa.spec?.scaleTargetRef ?? {};
  const group = String(ref.apiVersion ?? 'apps/v1').includes('/')
    ? String(ref.apiVersion).split('/')[0]
    : '';
  const target = cluster.objectOf(
    group,
    ref.kind ?? 'Deployment',
    hpa.metadata.namespace!,
    ref.name ?? '',
  );
  const nowIso = iso(now);
  const current = target?.status?.replicas ?? 0;
  const min = hpa.spec?.minReplicas ?? 1;
  const max = hpa.spec?.maxReplicas ?? min;
  const desired = Math.min(
    max,
    Math.max(min, target?.spec?.replicas ?? current),
  );
  const util = 35 + (fnv32(hpa.metadata.uid!) % 30);
  cluster.mutate(
    'autoscaling',
    'HorizontalPodAutoscaler',
    hpa.metadata.namespace!,
    hpa.metadata.name!,
    h => {
      let conds = setCondition(
        h.status?.conditions,
        target
          ? {
              type: 'AbleToScale',
              status: 'True',
              reason: 'ReadyForNewScale',
              message: 'recommended size matches current size',
            }
          : {
              type: 'AbleToScale',
              status: 'False',
              reason: 'FailedGetScale',
              message: `the HPA controller was unable to get the target's current scale: ${String(
                ref.kind,
              ).toLowerCase()}s "${ref.name}" not found`,
            },
        nowIso,
      );
      conds = setCondition(
        conds,
        target
          ? {
              type: 'ScalingActive',
              status: 'True',
              reason: 'ValidMetricFound',
              message:
                'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
            }
          : {
              type: 'ScalingActive',
              status: 'False',
              reason: 'FailedGetScale',
            },
        nowIso,
      );
      conds = setCondition(
        conds,
        {
          type: 'ScalingLimited',
          status: desired === min || desired === max ? 'True' : 'False',
          reason:
            desired === min
              ? 'TooFewReplicas'
              : desired === max
              ? 'TooManyReplicas'
              : 'DesiredWithinRange',
          message:
            desired === min
              ? 'the desired replica count is less than the minimum replica count'
              : desired === max
              ? 'the desired replica count is more than the maximum replica count'
              : 'the desired count is within the acceptable range',
        },
        nowIso,
      );
      h.status = {
        observedGeneration: h.metadata.generation,
        currentReplicas: current,
        desiredReplicas: desired,
        currentMetrics: target
          ? [
              {
                type: 'Resource',
                resource: {
                  name: 'cpu',
                  current: {
                    averageUtilization: util,
                    averageValue: `${util * 5}m`,
                  },
                },
              },
            ]
          : [],
        conditions: conds,
      };
    },
  );
}

/** Reports PodDisruptionBudget status from the pods it selects. */
export function reconcilePdb(ctl: Ctl, pdb: K8sObject): void {
  const { cluster, now } = ctl;
  const ns = pdb.metadata.namespace!;
  const match = labelSelectorFromObject(pdb.spec?.selector);
  const pods = cluster
    .objectsOf('', 'Pod', ns)
    .filter(p => !podTerminal(p) && match(p.metadata.labels));
  const healthy = pods.filter(podReady).length;
  const expected = pods.length;
  let desired: number;
  if (pdb.spec?.minAvailable !== undefined)
    desired = intOrPercent(pdb.spec.minAvailable, expected, true, '0');
  else if (pdb.spec?.maxUnavailable !== undefined)
    desired =
      expected - intOrPercent(pdb.spec.maxUnavailable, expected, true, '0');
  else desired = expected;
  desired = Math.max(0, desired);
  const allowed = Math.max(0, healthy - desired);
  cluster.mutate('policy', 'PodDisruptionBudget', ns, pdb.metadata.name!, p => {
    p.status = {
      observedGeneration: p.metadata.generation,
      currentHealthy: healthy,
      desiredHealthy: desired,
      disruptionsAllowed: allowed,
      expectedPods: expected,
      conditions: setCondition(
        p.status?.conditions,
        allowed > 0
          ? {
              type: 'DisruptionAllowed',
              status: 'True',
              reason: 'SufficientPods',
              message: '',
            }
          : {
              type: 'DisruptionAllowed',
              status: 'False',
              reason: 'InsufficientPods',
              message: '',
            },
        iso(now),
        { observedGeneration: p.metadata.generation },
      ),
    };
  });
}
