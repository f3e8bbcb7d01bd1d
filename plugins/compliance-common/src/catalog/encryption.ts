import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';
import {
  containersOf,
  ev,
  fail,
  notApplicable,
  pass,
  podSpecOf,
  POD_KINDS,
  unknown,
  warn,
} from '../pod';
import type { ComplianceCheck, Evidence } from '../types';
import { clusterFact } from './clusterFacts';

/** Names that look like credentials. @public */
export const SENSITIVE_NAME =
  /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|signing[-_]?key|credential|_key$|^key$)/i;

const workload = { target: 'workload' as const, kinds: POD_KINDS };

function pvcClaims(o: ObjectEnvelope): Array<{ name: string; path: string }> {
  const pod = podSpecOf(o);
  if (!pod) return [];
  const fromVolumes = (pod.spec.volumes ?? []).flatMap((v: any, i: number) =>
    v.persistentVolumeClaim
      ? [
          {
            name: v.persistentVolumeClaim.claimName,
            path: `${pod.path}.volumes[${i}]`,
          },
        ]
      : [],
  );
  const templates = ((o.object as any).spec?.volumeClaimTemplates ?? []).map(
    (t: any, i: number) => ({
      name: `${t.metadata?.name}-${o.name}`,
      path: `spec.volumeClaimTemplates[${i}]`,
      template: t,
    }),
  );
  return [...fromVolumes, ...templates];
}

/** Encryption and secret handling checks (164.312(a)(2)(iv), 164.310(d)(1)). @public */
export const encryptionChecks: ComplianceCheck[] = [
  {
    id: 'K8S-ENC-001',
    version: 1,
    title: 'No credentials as literal env values',
    severity: 'critical',
    category: 'encryption',
    rationale:
      'A literal credential in the pod spec is readable by anyone who can read the Deployment, and lives in every manifest copy.',
    remediation: {
      text: 'Take the value from a Secret with valueFrom.secretKeyRef (only the variable name is ever shown as evidence).',
      yaml: 'env:\n  - name: SESSION_SIGNING_KEY\n    valueFrom:\n      secretKeyRef:\n        name: my-service-secrets\n        key: session-signing-key',
    },
    applicability: workload,
    hipaa: ['164.312(a)(2)(iv)'],
    anchors: { polaris: 'sensitiveContainerEnvVar', kubescape: 'C-0012' },
    evaluate: o => {
      const pod = o && podSpecOf(o);
      if (!pod) return notApplicable('No pod template');
      const evidence: Evidence[] = [];
      for (const { container, path } of containersOf(pod.spec, pod.path)) {
        (container.env ?? []).forEach((e: any, i: number) => {
          const literal =
            e.valueRedacted === true || typeof e.value === 'string';
          if (literal && !e.valueFrom && SENSITIVE_NAME.test(e.name ?? '')) {
            evidence.push(
              ev(
                o!,
                `${path}.env[${i}]`,
                `name ${e.name}, literal value (not shown)`,
              ),
            );
          }
        });
      }
      return evidence.length
        ? fail('A credential-like variable has a literal value', evidence)
        : pass('No credential-like literal env values');
    },
  },
  {
    id: 'K8S-ENC-002',
    version: 1,
    title: 'No credential-like keys in ConfigMaps',
    severity: 'high',
    category: 'encryption',
    rationale:
      'ConfigMaps are not encrypted at rest and are readable more widely than Secrets.',
    remediation: {
      text: 'Move the key to a Secret.',
      yaml: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: my-service-secrets\ntype: Opaque',
    },
    applicability: workload,
    hipaa: ['164.312(a)(2)(iv)'],
    anchors: {
      polaris: 'sensitiveConfigmapContent',
      kubescape: 'C-0012',
      trivy: 'KSV-01010, KSV-0109',
    },
    needs: ['ConfigMap'],
    evaluate: (o, ctx) => {
      const pod = o && podSpecOf(o);
      if (!pod) return notApplicable('No pod template');
      const names = new Set<string>();
      for (const { container } of containersOf(pod.spec, pod.path)) {
        (container.envFrom ?? []).forEach(
          (e: any) => e.configMapRef?.name && names.add(e.configMapRef.name),
        );
        (container.env ?? []).forEach(
          (e: any) =>
            e.valueFrom?.configMapKeyRef?.name &&
            names.add(e.valueFrom.configMapKeyRef.name),
        );
      }
      (pod.spec.volumes ?? []).forEach(
        (v: any) => v.configMap?.name && names.add(v.configMap.name),
      );
      if (names.size === 0)
        return notApplicable('The workload uses no ConfigMap');
      const maps = ctx
        .inNamespace(o!.cluster, o!.namespace ?? '', 'ConfigMap')
        .filter(c => names.has(c.name));
      const evidence = maps.flatMap(cm =>
        (
          ((cm.object as any).dataKeys as string[]) ??
          Object.keys((cm.object as any).data ?? {})
        )
          .filter(k => SENSITIVE_NAME.test(k))
          .map(k => ev(cm, 'dataKeys', `key ${k} (value not shown)`)),
      );
      return evidence.length
        ? fail('A ConfigMap holds a credential-like key', evidence)
        : pass('No credential-like ConfigMap keys');
    },
  },
  {
    id: 'K8S-ENC-003',
    version: 1,
    title: 'Secrets mounted as files, not env',
    severity: 'low',
    category: 'encryption',
    rationale:
      'Environment variables leak into crash dumps, child processes and logs more easily than files.',
    remediation: {
      text: 'Mount the Secret as a volume.',
      yaml: 'volumeMounts:\n  - name: creds\n    mountPath: /var/run/secrets/app\n    readOnly: true',
    },
    applicability: workload,
    hipaa: ['164.312(a)(2)(iv)'],
    anchors: { kubescape: 'C-0207' },
    evaluate: o => {
      const pod = o && podSpecOf(o);
      if (!pod) return notApplicable('No pod template');
      const evidence: Evidence[] = [];
      for (const { container, path } of containersOf(pod.spec, pod.path)) {
        (container.env ?? []).forEach(
          (e: any, i: number) =>
            e.valueFrom?.secretKeyRef &&
            evidence.push(
              ev(
                o!,
                `${path}.env[${i}].valueFrom.secretKeyRef.name`,
                e.valueFrom.secretKeyRef.name,
              ),
            ),
        );
        (container.envFrom ?? []).forEach(
          (e: any, i: number) =>
            e.secretRef &&
            evidence.push(
              ev(o!, `${path}.envFrom[${i}].secretRef.name`, e.secretRef.name),
            ),
        );
      }
      return evidence.length
        ? warn('Secrets are consumed as environment variables', evidence)
        : pass('No Secret in env');
    },
  },
  {
    id: 'K8S-ENC-004',
    version: 1,
    title: 'PHI volumes on encrypted storage',
    severity: 'high',
    category: 'encryption',
    rationale:
      'ePHI at rest must be encrypted (addressable under 164.312(a)(2)(iv)).',
    remediation: {
      text: 'Use a StorageClass declared encrypted (config compliance.checks.encryptedStorageClasses).',
      yaml: 'spec:\n  storageClassName: encrypted-gp3',
    },
    applicability: { ...workload, phiOnly: true },
    hipaa: ['164.312(a)(2)(iv)', '164.310(d)(1)'],
    anchors: { kubescape: 'C-0264' },
    needs: ['PersistentVolumeClaim'],
    evaluate: (o, ctx) => {
      if (!o) return notApplicable('No workload');
      const claims = pvcClaims(o);
      if (claims.length === 0)
        return notApplicable('The workload has no persistent volume');
      if (ctx.options.encryptedStorageClasses.length === 0)
        return unknown(
          'No encrypted StorageClasses are configured (compliance.checks.encryptedStorageClasses)',
        );
      const pvcs = ctx.inNamespace(
        o.cluster,
        o.namespace ?? '',
        'PersistentVolumeClaim',
      );
      const evidence: Evidence[] = [];
      let bad = false;
      for (const c of claims as any[]) {
        const pvc = pvcs.find(p => p.name === c.name);
        const cls =
          (pvc?.object as any)?.spec?.storageClassName ??
          c.template?.spec?.storageClassName;
        if (!ctx.options.encryptedStorageClasses.includes(cls)) bad = true;
        evidence.push(
          pvc
            ? ev(pvc, 'spec.storageClassName', cls ?? 'absent')
            : ev(o, `${c.path}.spec.storageClassName`, cls ?? 'absent'),
        );
      }
      return bad
        ? fail('A volume is not on an encrypted StorageClass', evidence)
        : pass('Every volume is on an encrypted StorageClass', evidence);
    },
  },
  {
    id: 'K8S-ENC-005',
    version: 1,
    title: 'Secrets encrypted at rest in etcd (cluster)',
    severity: 'high',
    category: 'encryption',
    rationale:
      'Without an EncryptionConfiguration or KMS, Secrets are stored base64 in etcd.',
    remediation: {
      text: 'Enable KMS envelope encryption and label the cluster compliance.careplane.io/secrets-encryption=true.',
      yaml: 'resources:\n  - resources: [secrets]\n    providers:\n      - kms:\n          apiVersion: v2\n          name: kms',
    },
    applicability: { target: 'entity', entityKinds: ['Component', 'Resource'] },
    hipaa: ['164.312(a)(2)(iv)'],
    anchors: {
      kubescape: 'C-0066',
      trivy: 'KCV-0029, KCV-0030',
      cis: '1.2.27-1.2.28',
    },
    evaluate: clusterFact('secrets-encryption', 'Secret encryption at rest'),
  },
];
