import { K8sObject, parseDurationSeconds, templateHash } from '../util';
import { Ctl, getCondition, iso, ownerRef, setCondition, SIM } from './context';

/** Flagger: primary deployment, weight steps per analysis interval, promotion. */
export function reconcileCanary(ctl: Ctl, c: K8sObject): void {
  const { cluster, now } = ctl;
  const ns = c.metadata.namespace!;
  const name = c.metadata.name!;
  const nowIso = iso(now);
  const targetName = c.spec?.targetRef?.name;
  const target = cluster.objectOf('apps', 'Deployment', ns, targetName ?? '');
  const analysis = c.spec?.analysis ?? {};
  const interval =
    (parseDurationSeconds(analysis.interval ?? '1m') ?? 60) * 1000;
  const stepWeight: number = analysis.stepWeight ?? 10;
  const maxWeight: number = analysis.maxWeight ?? 50;
  const threshold: number = analysis.threshold ?? 5;
  if (!target) {
    cluster.mutate('flagger.app', 'Canary', ns, name, cc => {
      cc.status = {
        ...cc.status,
        phase: 'Failed',
        conditions: setCondition(
          cc.status?.conditions,
          {
            type: 'Promoted',
            status: 'False',
            reason: 'Failed',
            message: `deployment ${targetName}.${ns} get query error: deployments.apps "${targetName}" not found`,
          },
          nowIso,
          { lastUpdateTime: true },
        ),
      };
    });
    return;
  }
  const hash = templateHash(target.spec?.template);
  const primaryName = `${targetName}-primary`;
  let primary = cluster.objectOf('apps', 'Deployment', ns, primaryName);
  const status: any = JSON.parse(JSON.stringify(c.status ?? {}));
  const setPhase = (phase: string, condStatus: string, message: string) => {
    status.phase = phase;
    status.lastTransitionTime = nowIso;
    status.conditions = setCondition(
      status.conditions,
      { type: 'Promoted', status: condStatus, reason: phase, message },
      nowIso,
      { lastUpdateTime: true },
    );
  };
  const primaryTemplate = (tmpl: any) => {
    const labels = { ...(tmpl?.metadata?.labels ?? {}) };
    for (const k of Object.keys(labels))
      if (k === 'app' || k === 'app.kubernetes.io/name')
        labels[k] = `${labels[k]}-primary`;
    return { ...tmpl, metadata: { ...tmpl?.metadata, labels } };
  };
  if (!primary) {
    const tmpl = primaryTemplate(target.spec.template);
    primary = cluster.writeInternal(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: primaryName,
          namespace: ns,
          labels: { ...(target.metadata.labels ?? {}) },
          ownerReferences: [ownerRef(c)],
        },
        spec: {
          replicas: target.spec.replicas ?? 1,
          selector: {
            matchLabels: Object.fromEntries(
              Object.entries(target.spec.selector?.matchLabels ?? {}).map(
                ([k, v]) => [k, tmpl.metadata.labels[k] ?? v],
              ),
            ),
          },
          template: tmpl,
          strategy: target.spec.strategy,
          progressDeadlineSeconds: 600,
        },
      },
      'flagger',
    );
    status.lastAppliedSpec = hash;
    status.lastPromotedSpec = hash;
    status.canaryWeight = 0;
    status.iterations = 0;
    status.failedChecks = 0;
    setPhase(
      'Initializing',
      'Unknown',
      'New Deployment detected, starting initialization.',
    );
  }
  if (
    status.phase === 'Initializing' &&
    (primary.status?.availableReplicas ?? 0) >= (primary.spec?.replicas ?? 1)
  ) {
    cluster.mutate('apps', 'Deployment', ns, targetName, d => {
      d.spec.replicas = 0;
    });
    setPhase('Initialized', 'True', 'Deployment initialization completed.');
  }
  const inProgress = [
    'Progressing',
    'Promoting',
    'Finalising',
    'WaitingPromotion',
  ].includes(status.phase);
  if (
    ['Initialized', 'Succeeded', 'Failed'].includes(status.phase) &&
    hash !== status.lastAppliedSpec
  ) {
    status.lastAppliedSpec = hash;
    status.canaryWeight = 0;
    status.iterations = 0;
    status.failedChecks = 0;
    cluster.mutate('apps', 'Deployment', ns, targetName, d => {
      d.spec.replicas = primary!.spec?.replicas ?? 1;
    });
    setPhase(
      'Progressing',
      'Unknown',
      'New revision detected, progressing canary analysis.',
    );
    cluster.recordEvent(
      c,
      'Normal',
      'Synced',
      `New revision detected! Scaling up ${targetName}.${ns}`,
      'flagger',
    );
  } else if (inProgress) {
    const last = Date.parse(status.lastTransitionTime ?? nowIso);
    if (status.phase === 'Progressing' && now >= last + interval) {
      const failing = c.metadata.annotations?.[SIM.canaryOutcome] === 'fail';
      const canaryReady =
        (target.status?.availableReplicas ?? 0) >= (target.spec?.replicas ?? 1);
      status.lastTransitionTime = nowIso;
      if (c.spec?.skipAnalysis) {
        status.canaryWeight = maxWeight;
      } else if (failing) {
        status.failedChecks = (status.failedChecks ?? 0) + 1;
        cluster.recordEvent(
          c,
          'Warning',
          'Synced',
          `Halt ${name}.${ns} advancement request success rate 91.20% < 99%`,
          'flagger',
        );
      } else if (canaryReady) {
        status.canaryWeight = Math.min(
          maxWeight,
          (status.canaryWeight ?? 0) + stepWeight,
        );
        status.iterations = (status.iterations ?? 0) + 1;
        cluster.recordEvent(
          c,
          'Normal',
          'Synced',
          `Advance ${name}.${ns} canary weight ${status.canaryWeight}`,
          'flagger',
        );
      }
      if ((status.failedChecks ?? 0) >= threshold) {
        status.canaryWeight = 0;
        cluster.mutate('apps', 'Deployment', ns, targetName, d => {
          d.spec.replicas = 0;
        });
        setPhase(
          'Failed',
          'False',
          'Canary analysis failed, Deployment scaled to zero.',
        );
        cluster.recordEvent(
          c,
          'Warning',
          'Synced',
          `Rolling back ${name}.${ns} failed checks threshold reached ${status.failedChecks}`,
          'flagger',
        );
      } else if ((status.canaryWeight ?? 0) >= maxWeight) {
        setPhase(
          'Promoting',
          'Unknown',
          'Canary analysis completed, starting primary rolling update.',
        );
      }
    } else if (status.phase === 'Promoting') {
      cluster.mutate('apps', 'Deployment', ns, primaryName, d => {
        d.spec.template = primaryTemplate(target.spec.template);
      });
      setPhase(
        'Finalising',
        'Unknown',
        'Canary analysis completed, routing all traffic to primary.',
      );
      status.canaryWeight = 0;
    } else if (status.phase === 'Finalising') {
      const p = cluster.objectOf('apps', 'Deployment', ns, primaryName);
      if (
        p &&
        getCondition(p, 'Progressing')?.reason === 'NewReplicaSetAvailable' &&
        p.status?.updatedReplicas === p.spec?.replicas
      ) {
        cluster.mutate('apps', 'Deployment', ns, targetName, d => {
          d.spec.replicas = 0;
        });
        status.lastPromotedSpec = hash;
        setPhase(
          'Succeeded',
          'True',
          'Canary analysis completed successfully, promotion finished.',
        );
      }
    }
    if (['Progressing', 'Promoting', 'Finalising'].includes(status.phase)) {
      ctl.wakeAt(
        status.phase === 'Progressing'
          ? Date.parse(status.lastTransitionTime ?? nowIso) + interval
          : now + 2000,
      );
    }
  }
  cluster.mutate('flagger.app', 'Canary', ns, name, cc => {
    cc.status = { ...status, observedGeneration: cc.metadata.generation };
  });
  if (status.phase === 'Initializing') ctl.wakeAt(now + 2000);
}
