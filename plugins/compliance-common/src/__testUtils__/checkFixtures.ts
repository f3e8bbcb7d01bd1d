/* pass / fail / not-applicable / unknown fixtures of every check, as mutations of the world. */
import { CLUSTER, container, find, NS, pod, World, wl } from './world';

export type Mutation = (w: World) => void;

const clusterDown: Mutation = w => {
  w.workloads = [];
  w.kindStatus.Deployment = 'unavailable';
};
const noWorkloads: Mutation = w => {
  w.workloads = [];
};
const down =
  (kind: string): Mutation =>
  w => {
    w.kindStatus[kind] = 'unavailable';
  };
const notInstalled =
  (kind: string): Mutation =>
  w => {
    w.kindStatus[kind] = 'not-installed';
  };
const notPhi: Mutation = w => {
  w.phi = false;
};
const notProduction: Mutation = w => {
  w.entity.lifecycle = 'experimental';
};
const systemEntity: Mutation = w => {
  w.entity.kind = 'System';
};
const noLabel =
  (fact: string): Mutation =>
  w => {
    delete w.clusterLabels[`compliance.careplane.io/${fact}`];
  };
const factOff =
  (fact: string): Mutation =>
  w => {
    w.clusterLabels[`compliance.careplane.io/${fact}`] = 'false';
  };
const statefulSet: Mutation = w => {
  const o = wl(w);
  o.kind = 'StatefulSet';
  w.workloads[0] = { ...w.workloads[0], kind: 'StatefulSet' };
  o.spec.volumeClaimTemplates = [
    { metadata: { name: 'data' }, spec: { storageClassName: 'encrypted-gp3' } },
  ];
  o.spec.template.metadata.annotations = {
    'backup.velero.io/backup-volumes': 'data',
  };
};
const none: Mutation = () => {};
const seq =
  (...ms: Mutation[]): Mutation =>
  w =>
    ms.forEach(m => m(w));

/** pass / fail / not-applicable / unknown fixtures of every check (null: the state cannot occur). */
export const fixtures: Record<
  string,
  { pass: Mutation; fail: Mutation; na: Mutation; unknown: Mutation | null }
> = {
  'K8S-AC-001': {
    pass: none,
    fail: w => (container(w).securityContext.privileged = true),
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-AC-002': {
    pass: none,
    fail: w => delete container(w).securityContext.allowPrivilegeEscalation,
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-AC-003': {
    pass: none,
    fail: w => {
      container(w).securityContext.runAsUser = 0;
    },
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-AC-004': {
    pass: none,
    fail: w => (pod(w).hostNetwork = true),
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-AC-005': {
    pass: none,
    fail: w =>
      (container(w).securityContext.capabilities = { add: ['SYS_ADMIN'] }),
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-AC-006': {
    pass: none,
    fail: w =>
      (pod(w).volumes = [
        { name: 'h', hostPath: { path: '/var/run/docker.sock' } },
      ]),
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-AC-007': {
    pass: none,
    fail: w => (container(w).ports = [{ containerPort: 80, hostPort: 80 }]),
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-AC-008': {
    pass: none,
    fail: w => delete pod(w).securityContext.seccompProfile,
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-AC-009': {
    pass: none,
    fail: w =>
      (find(w, 'Namespace').metadata.labels[
        'pod-security.kubernetes.io/enforce'
      ] = 'baseline'),
    na: noWorkloads,
    unknown: down('Namespace'),
  },
  'K8S-AC-010': {
    pass: none,
    fail: w =>
      delete pod(w).automountServiceAccountToken &&
      delete find(w, 'ServiceAccount').automountServiceAccountToken,
    na: noWorkloads,
    unknown: down('ServiceAccount'),
  },
  'K8S-AC-011': {
    pass: none,
    fail: w => delete pod(w).serviceAccountName,
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-AC-012': {
    pass: none,
    fail: w => (find(w, 'Role').rules = [{ resources: ['*'], verbs: ['*'] }]),
    na: noWorkloads,
    unknown: down('RoleBinding'),
  },
  'K8S-AC-013': {
    pass: none,
    fail: w =>
      (find(w, 'Role').rules = [{ resources: ['secrets'], verbs: ['list'] }]),
    na: noWorkloads,
    unknown: down('Role'),
  },
  'K8S-AC-014': {
    pass: none,
    fail: w =>
      (find(w, 'Role').rules = [
        { resources: ['pods/exec'], verbs: ['create'] },
      ]),
    na: noWorkloads,
    unknown: down('Role'),
  },
  'K8S-AC-015': {
    pass: none,
    fail: w =>
      find(w, 'RoleBinding').subjects.push({
        kind: 'Group',
        name: 'system:anonymous',
      }),
    na: noWorkloads,
    unknown: down('RoleBinding'),
  },
  'K8S-AC-016': {
    pass: none,
    fail: w => {
      w.workloads[0] = { ...w.workloads[0], namespace: 'default' };
    },
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-ENC-001': {
    pass: none,
    fail: w =>
      (container(w).env = [
        { name: 'SESSION_SIGNING_KEY', valueRedacted: true },
      ]),
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-ENC-002': {
    pass: none,
    fail: w => (find(w, 'ConfigMap').dataKeys = ['DB_PASSWORD']),
    na: w => (container(w).envFrom = []),
    unknown: down('ConfigMap'),
  },
  'K8S-ENC-003': {
    pass: none,
    fail: w => (container(w).envFrom = [{ secretRef: { name: 's' } }]),
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-ENC-004': {
    pass: statefulSet,
    fail: seq(
      statefulSet,
      w =>
        (wl(w).spec.volumeClaimTemplates[0].spec.storageClassName = 'standard'),
    ),
    na: seq(statefulSet, notPhi),
    unknown: seq(statefulSet, down('PersistentVolumeClaim')),
  },
  'K8S-ENC-005': {
    pass: none,
    fail: factOff('secrets-encryption'),
    na: systemEntity,
    unknown: noLabel('secrets-encryption'),
  },
  'K8S-INT-001': {
    pass: none,
    fail: w => (container(w).securityContext.readOnlyRootFilesystem = false),
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-INT-002': {
    pass: none,
    fail: w =>
      (container(w).image = 'registry.northwind-health.example/x:latest'),
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-INT-003': {
    pass: none,
    fail: w => (container(w).image = 'docker.io/library/nginx:1.27@sha256:a'),
    na: noWorkloads,
    unknown: w => (w.options.allowedRegistries = []),
  },
  'K8S-INT-004': {
    pass: none,
    fail: w => (find(w, 'PolicyReport').results[0].result = 'fail'),
    na: noWorkloads,
    unknown: notInstalled('PolicyReport'),
  },
  'K8S-INT-005': {
    pass: none,
    fail: w =>
      (find(w, 'VulnerabilityReport').report.summary.criticalCount = 2),
    na: noWorkloads,
    unknown: notInstalled('VulnerabilityReport'),
  },
  'K8S-INT-006': {
    pass: none,
    fail: w =>
      (find(w, 'VulnerabilityReport').metadata.creationTimestamp =
        '2026-01-01T00:00:00Z'),
    na: noWorkloads,
    unknown: down('VulnerabilityReport'),
  },
  'K8S-INT-007': {
    pass: none,
    fail: w => (find(w, 'PolicyReport').results[1].result = 'fail'),
    na: w => (find(w, 'PolicyReport').results = []),
    unknown: notInstalled('PolicyReport'),
  },
  'K8S-TX-001': {
    pass: none,
    fail: w => (w.objects = w.objects.filter(o => o.kind !== 'NetworkPolicy')),
    na: noWorkloads,
    unknown: down('NetworkPolicy'),
  },
  'K8S-TX-002': {
    pass: none,
    fail: w => (find(w, 'Ingress').spec.tls = []),
    na: w => (w.objects = w.objects.filter(o => o.kind !== 'Ingress')),
    unknown: down('Ingress'),
  },
  'K8S-TX-003': {
    pass: none,
    fail: w => (find(w, 'Service').spec.type = 'NodePort'),
    na: notPhi,
    unknown: down('Service'),
  },
  'K8S-TX-004': {
    pass: none,
    fail: w => delete find(w, 'Namespace').metadata.labels['istio.io/rev'],
    na: noWorkloads,
    unknown: down('Namespace'),
  },
  'K8S-TX-005': {
    pass: none,
    fail: factOff('control-plane-tls'),
    na: systemEntity,
    unknown: noLabel('control-plane-tls'),
  },
  'K8S-AUD-001': {
    pass: none,
    fail: factOff('audit-logging'),
    na: systemEntity,
    unknown: noLabel('audit-logging'),
  },
  'K8S-AUD-002': {
    pass: none,
    fail: factOff('runtime-detection'),
    na: systemEntity,
    unknown: noLabel('runtime-detection'),
  },
  'K8S-AUD-003': {
    pass: none,
    fail: w =>
      (find(w, 'Role').rules = [{ resources: ['events'], verbs: ['delete'] }]),
    na: noWorkloads,
    unknown: down('Role'),
  },
  'K8S-AUD-004': {
    pass: none,
    fail: w =>
      delete find(w, 'Namespace').metadata.labels[
        'pod-security.kubernetes.io/enforce'
      ],
    na: noWorkloads,
    unknown: down('Namespace'),
  },
  'K8S-AUD-005': {
    pass: none,
    fail: w => delete w.entity.annotations['pagerduty.com/service-id'],
    na: systemEntity,
    unknown: null,
  },
  'K8S-AUTH-001': {
    pass: none,
    fail: factOff('anonymous-auth-disabled'),
    na: systemEntity,
    unknown: noLabel('anonymous-auth-disabled'),
  },
  'K8S-AUTH-002': {
    pass: none,
    fail: w => (find(w, 'Ingress').metadata.annotations = {}),
    na: notPhi,
    unknown: down('Ingress'),
  },
  'K8S-AV-001': {
    pass: none,
    fail: w => (find(w, 'HorizontalPodAutoscaler').spec.minReplicas = 1),
    na: notProduction,
    unknown: down('HorizontalPodAutoscaler'),
  },
  'K8S-AV-002': {
    pass: none,
    fail: w =>
      (w.objects = w.objects.filter(o => o.kind !== 'PodDisruptionBudget')),
    na: noWorkloads,
    unknown: down('PodDisruptionBudget'),
  },
  'K8S-AV-003': {
    pass: none,
    fail: w => delete container(w).livenessProbe,
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-AV-004': {
    pass: none,
    fail: w => delete container(w).resources.limits,
    na: noWorkloads,
    unknown: clusterDown,
  },
  'K8S-AV-005': {
    pass: statefulSet,
    fail: seq(
      statefulSet,
      w =>
        delete wl(w).spec.template.metadata.annotations[
          'backup.velero.io/backup-volumes'
        ],
    ),
    na: seq(statefulSet, notPhi),
    unknown: clusterDown,
  },
  'META-001': {
    pass: none,
    fail: w => (w.entity.owner = 'user:default/jordan.lee'),
    na: systemEntity,
    unknown: null,
  },
  'META-002': {
    pass: none,
    fail: w => delete w.entity.annotations['careplane.io/data-classification'],
    na: systemEntity,
    unknown: null,
  },
  'META-003': {
    pass: none,
    fail: w => delete w.entity.annotations['backstage.io/kubernetes-id'],
    na: systemEntity,
    unknown: noWorkloads,
  },
  'META-004': {
    pass: none,
    fail: w =>
      (w.unclaimed = [
        {
          cluster: CLUSTER,
          kind: 'Deployment',
          namespace: NS,
          name: 'stray',
          object: { metadata: { name: 'stray' } },
        },
      ]),
    na: notPhi,
    unknown: null,
  },
  'META-005': {
    pass: none,
    fail: w => delete w.entity.annotations['backstage.io/techdocs-ref'],
    na: systemEntity,
    unknown: null,
  },
};
