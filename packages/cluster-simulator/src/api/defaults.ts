import type { ResourceType } from '../resources';
import type { K8sObject } from '../util';

/**
 * Defaulting on create, as kube-apiserver's scheme defaulters and strategies
 * do it (pkg/apis/*\/v1/defaults.go, PrepareForCreate). Only the fields the
 * simulator's controllers or Careplane read are defaulted.
 */

/** Allocates cluster IPs for Services. */
export interface IpAllocator {
  nextServiceIp(): string;
}

type Defaulter = (obj: K8sObject, ips: IpAllocator) => void;

function podTemplate(spec: any): void {
  if (spec?.template) {
    spec.template.spec = {
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      ...spec.template.spec,
    };
  }
}

const DEFAULTERS: Record<string, Defaulter> = {
  '/Namespace': obj => {
    obj.metadata.labels = {
      ...obj.metadata.labels,
      'kubernetes.io/metadata.name': obj.metadata.name!,
    };
    obj.spec = { finalizers: ['kubernetes'], ...obj.spec };
    obj.status = { phase: 'Active' };
  },
  '/Service': (obj, ips) => {
    const spec = (obj.spec = {
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ...obj.spec,
    });
    if (!spec.clusterIP && spec.type !== 'ExternalName') {
      spec.clusterIP = ips.nextServiceIp();
      spec.clusterIPs = [spec.clusterIP];
    }
    spec.ports = (spec.ports ?? []).map((p: any) => ({
      protocol: 'TCP',
      targetPort: p.port,
      ...p,
    }));
    obj.status = obj.status ?? { loadBalancer: {} };
  },
  '/Pod': obj => {
    obj.spec = {
      restartPolicy: 'Always',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      ...obj.spec,
    };
    if (!obj.status?.phase) {
      obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
    }
  },
  '/PersistentVolumeClaim': obj => {
    obj.spec = { volumeMode: 'Filesystem', ...obj.spec };
    obj.status = { phase: 'Pending' };
  },
  'apps/Deployment': obj => {
    obj.spec = { replicas: 1, revisionHistoryLimit: 10, ...obj.spec };
    obj.spec.progressDeadlineSeconds = obj.spec.progressDeadlineSeconds ?? 600;
    obj.spec.strategy = obj.spec.strategy ?? {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    };
  },
  'apps/StatefulSet': obj => {
    obj.spec = { replicas: 1, revisionHistoryLimit: 10, ...obj.spec };
  },
  'apps/ReplicaSet': obj => {
    obj.spec = { replicas: 1, ...obj.spec };
  },
  'apps/DaemonSet': obj => {
    obj.spec = {
      revisionHistoryLimit: 10,
      updateStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
      },
      ...obj.spec,
    };
    podTemplate(obj.spec);
  },
  'batch/Job': obj => {
    obj.spec = {
      backoffLimit: 6,
      completions: 1,
      parallelism: 1,
      completionMode: 'NonIndexed',
      suspend: false,
      ...obj.spec,
    };
    const uid = obj.metadata.uid!;
    obj.spec.selector = obj.spec.selector ?? {
      matchLabels: { 'batch.kubernetes.io/controller-uid': uid },
    };
    const tmpl = (obj.spec.template = {
      ...obj.spec.template,
      metadata: { ...obj.spec.template?.metadata },
    });
    tmpl.metadata.labels = {
      ...tmpl.metadata.labels,
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': obj.metadata.name!,
      'controller-uid': uid,
      'job-name': obj.metadata.name!,
    };
  },
  'batch/CronJob': obj => {
    obj.spec = {
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      ...obj.spec,
    };
  },
  'apiextensions.k8s.io/CustomResourceDefinition': obj => {
    const spec = (obj.spec = { conversion: { strategy: 'None' }, ...obj.spec });
    if (spec.names?.kind) {
      spec.names = {
        singular: String(spec.names.kind).toLowerCase(),
        listKind: `${spec.names.kind}List`,
        ...spec.names,
      };
    }
  },
};

/** Applies the defaults of a kind in place. */
export function applyDefaults(
  type: ResourceType,
  obj: K8sObject,
  ips: IpAllocator,
): void {
  DEFAULTERS[`${type.group}/${type.kind}`]?.(obj, ips);
}

/** Kinds whose status a client may set on create (everything else is reset). */
// (PersistentVolumeClaim: its defaulter replaces any status with phase Pending.)
const STATUS_ON_CREATE = new Set([
  '/Namespace',
  '/Service',
  '/Pod',
  '/PersistentVolumeClaim',
]);

/**
 * Whether create drops a client-supplied status (PrepareForCreate of kinds
 * with a status subresource; CRDs with the status subresource likewise).
 */
export function resetsStatusOnCreate(type: ResourceType): boolean {
  return (
    type.subresources.includes('status') &&
    !STATUS_ON_CREATE.has(`${type.group}/${type.kind}`)
  );
}
