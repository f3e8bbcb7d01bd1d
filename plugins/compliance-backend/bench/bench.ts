/*
 * bench:compliance — the evaluation at fleet scale, in memory (not a test): 50,000 workloads
 * (BENCH_WORKLOADS) of 5,000 services on 4 clusters, with the namespace objects the checks read
 * (Namespace, ServiceAccount, Service, NetworkPolicy, PDB, HPA, Role, RoleBinding, ConfigMap), as
 * the hub's cache hands them over (stripped: no managedFields, no env values).
 *
 * Measures: loading the fleet index, the full evaluation of every entity with the whole catalog,
 * incremental re-evaluation per changed object (only the affected entities), and, in the same
 * run, the cost of re-evaluating everything on each change instead; heap after each phase.
 */
import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';
import {
  builtInChecks,
  DEFAULT_CHECK_OPTIONS,
  policyToCheckMap,
} from '@careplane/plugin-compliance-common';
import {
  CheckSet,
  evaluateFleetEntity,
} from '../src/services/Evaluation/evaluateFleet';
import { FleetIndex } from '../src/services/Fleet/FleetIndex';

const WORKLOADS = Number(process.env.BENCH_WORKLOADS ?? 50_000);
const PER_SERVICE = 10;
const CLUSTERS = ['cloud-east', 'cloud-west', 'legacy-onprem', 'gpu-research'];
const CHANGES = Number(process.env.BENCH_CHANGES ?? 2_000);
const set: CheckSet = {
  checks: builtInChecks,
  policyToCheck: policyToCheckMap(builtInChecks),
  options: {
    ...DEFAULT_CHECK_OPTIONS,
    allowedRegistries: ['registry.example'],
  },
};

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return Math.round(process.memoryUsage().heapUsed / 1e6);
};
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[
    Math.min(xs.length - 1, Math.floor(xs.length * p))
  ];

function deployment(
  service: string,
  i: number,
  cluster: string,
  compliant: boolean,
): ObjectEnvelope {
  const name = `${service}-${i}`;
  const labels = {
    'backstage.io/kubernetes-id': service,
    app: name,
    'app.kubernetes.io/name': name,
  };
  return {
    cluster,
    kind: 'Deployment',
    namespace: service,
    name,
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name,
        namespace: service,
        labels,
        uid: `${cluster}-${name}`,
        resourceVersion: '1',
        generation: 1,
        creationTimestamp: '2026-01-01T00:00:00Z',
      },
      spec: {
        replicas: compliant ? 3 : 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels, annotations: { 'prometheus.io/scrape': 'true' } },
          spec: {
            serviceAccountName: service,
            ...(compliant
              ? {
                  automountServiceAccountToken: false,
                  securityContext: {
                    runAsNonRoot: true,
                    seccompProfile: { type: 'RuntimeDefault' },
                  },
                }
              : {}),
            containers: [
              {
                name: 'app',
                image: compliant
                  ? `registry.example/${service}:1.2.3@sha256:0123456789abcdef`
                  : `registry.example/${service}:latest`,
                ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
                env: [
                  { name: 'SERVICE_NAME', valueRedacted: true },
                  {
                    name: 'DATABASE_PASSWORD',
                    valueFrom: {
                      secretKeyRef: {
                        name: `${service}-secrets`,
                        key: 'database-password',
                      },
                    },
                  },
                ],
                envFrom: [{ configMapRef: { name: `${service}-config` } }],
                resources: {
                  requests: { cpu: '250m', memory: '256Mi' },
                  limits: { memory: '512Mi' },
                },
                readinessProbe: {
                  httpGet: { path: '/healthz/ready', port: 'http' },
                },
                livenessProbe: {
                  httpGet: { path: '/healthz/live', port: 'http' },
                },
                securityContext: compliant
                  ? {
                      allowPrivilegeEscalation: false,
                      readOnlyRootFilesystem: true,
                      runAsNonRoot: true,
                      runAsUser: 10001,
                      capabilities: { drop: ['ALL'] },
                    }
                  : { runAsUser: 0 },
              },
            ],
          },
        },
      },
      status: {
        replicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        observedGeneration: 1,
      },
    },
  };
}

function namespaceObjects(
  service: string,
  cluster: string,
  compliant: boolean,
): ObjectEnvelope[] {
  const labels = { 'backstage.io/kubernetes-id': service };
  const o = (kind: string, object: any): ObjectEnvelope => ({
    cluster,
    kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
    object,
  });
  return [
    o('Namespace', {
      metadata: {
        name: service,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': compliant
            ? 'restricted'
            : 'baseline',
          'istio.io/rev': 'stable',
        },
      },
    }),
    o('ServiceAccount', {
      metadata: { name: service, namespace: service, labels },
      automountServiceAccountToken: false,
    }),
    o('ConfigMap', {
      metadata: { name: `${service}-config`, namespace: service, labels },
      dataKeys: ['LOG_LEVEL', 'FHIR_BASE_URL'],
    }),
    o('Service', {
      metadata: { name: service, namespace: service, labels },
      spec: {
        selector: { 'backstage.io/kubernetes-id': service },
        ports: [{ port: 80 }],
      },
    }),
    o('NetworkPolicy', {
      metadata: { name: 'default-deny', namespace: service, labels },
      spec: {
        podSelector: {},
        policyTypes: compliant ? ['Ingress', 'Egress'] : ['Ingress'],
      },
    }),
    o('PodDisruptionBudget', {
      metadata: { name: service, namespace: service, labels },
      spec: {
        maxUnavailable: 1,
        selector: { matchLabels: { 'backstage.io/kubernetes-id': service } },
      },
    }),
    o('Role', {
      metadata: { name: `${service}-reader`, namespace: service, labels },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
    }),
    o('RoleBinding', {
      metadata: { name: `${service}-reader`, namespace: service, labels },
      roleRef: { kind: 'Role', name: `${service}-reader` },
      subjects: [{ kind: 'ServiceAccount', name: service }],
    }),
  ];
}

function main() {
  const services = Math.ceil(WORKLOADS / PER_SERVICE);
  const heap0 = heapMb();
  const objects: ObjectEnvelope[] = [];
  for (let s = 0; s < services; s++) {
    const service = `svc-${s}`;
    const cluster = CLUSTERS[s % CLUSTERS.length];
    const compliant = s % 5 !== 0;
    objects.push(...namespaceObjects(service, cluster, compliant));
    for (let i = 0; i < PER_SERVICE && s * PER_SERVICE + i < WORKLOADS; i++)
      objects.push(deployment(service, i, cluster, compliant));
  }
  const json = JSON.stringify(objects).length;

  let t = process.hrtime.bigint();
  const index = new FleetIndex();
  index.setClusters(
    CLUSTERS.map(name => ({
      name,
      labels: { 'compliance.careplane.io/audit-logging': 'true' },
    })),
  );
  for (let s = 0; s < services; s++) {
    const id = `svc-${s}`;
    index.setEntity({
      facts: {
        entityRef: `component:default/${id}`,
        kind: 'Component',
        owner: `group:default/team-${s % 50}`,
        lifecycle: 'production',
        annotations: {
          'backstage.io/kubernetes-id': id,
          'careplane.io/data-classification': s % 2 ? 'phi' : 'internal',
        },
      },
      phi: s % 2 === 1,
      labelSelector: `backstage.io/kubernetes-id=${id}`,
    });
  }
  for (const o of objects) index.upsert(o);
  const loadMs = ms(t);
  const heapLoaded = heapMb();

  const now = Date.now();
  const fullRuns: number[] = [];
  const fullCpu: number[] = [];
  let results = 0;
  let failing = 0;
  let heapPeak = 0;
  for (let run = 0; run < 3; run++) {
    t = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    results = 0;
    failing = 0;
    for (const ref of index.entityRefs()) {
      const rs = evaluateFleetEntity(index, ref, set, now);
      results += rs.length;
      for (const r of rs) if (r.status === 'fail') failing++;
    }
    fullRuns.push(ms(t));
    const used = process.cpuUsage(cpu);
    fullCpu.push((used.user + used.system) / 1000);
    heapPeak = Math.max(
      heapPeak,
      Math.round(process.memoryUsage().heapUsed / 1e6),
    );
  }

  const deployments = objects.filter(o => o.kind === 'Deployment');
  const perChange: number[] = [];
  let affectedTotal = 0;
  const changeCpu = process.cpuUsage();
  for (let c = 0; c < CHANGES; c++) {
    const base = deployments[(c * 7919) % deployments.length];
    const changed: ObjectEnvelope = structuredClone(base);
    (
      changed.object as any
    ).spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation =
      c % 2 === 0;
    t = process.hrtime.bigint();
    const affected = index.upsert(changed);
    for (const ref of affected) evaluateFleetEntity(index, ref, set, now);
    perChange.push(ms(t));
    affectedTotal += affected.length;
  }
  const changeCpuUsed = process.cpuUsage(changeCpu);
  const cpuPerChange =
    (changeCpuUsed.user + changeCpuUsed.system) / 1000 / CHANGES;
  const heapEnd = heapMb();
  const fullMs = Math.min(...fullRuns);
  const mean = perChange.reduce((a, b) => a + b, 0) / perChange.length;

  const load = require('node:os').loadavg()[0].toFixed(1);
  const rows: Array<[string, string]> = [
    [
      'workloads / services / clusters',
      `${WORKLOADS.toLocaleString('en-US')} / ${services.toLocaleString(
        'en-US',
      )} / ${CLUSTERS.length}`,
    ],
    [
      'cached objects (all kinds), stripped JSON',
      `${objects.length.toLocaleString('en-US')} (${Math.round(
        json / 1e6,
      )} MB)`,
    ],
    ['checks in the catalog', String(builtInChecks.length)],
    [
      'results per full evaluation (failing)',
      `${results.toLocaleString('en-US')} (${failing.toLocaleString('en-US')})`,
    ],
    ['load the fleet index', `${Math.round(loadMs)} ms`],
    [
      'full evaluation, CPU time (best of 3)',
      `${Math.round(Math.min(...fullCpu))} ms`,
    ],
    [
      'full evaluation, wall clock (best of 3; runs)',
      `${Math.round(fullMs)} ms (${fullRuns
        .map(x => Math.round(x))
        .join(', ')})`,
    ],
    [
      `incremental, per changed Deployment (${CHANGES} changes)`,
      `mean ${mean.toFixed(3)} ms, p50 ${pct(perChange, 0.5).toFixed(
        3,
      )} ms, p99 ${pct(perChange, 0.99).toFixed(
        3,
      )} ms; CPU ${cpuPerChange.toFixed(3)} ms per change; ${(
        affectedTotal / CHANGES
      ).toFixed(2)} entities re-evaluated per change`,
    ],
    [
      're-evaluating everything on each change instead',
      `${Math.round(fullMs)} ms per change: ${Math.round(
        fullMs / mean,
      ).toLocaleString('en-US')}× the incremental cost`,
    ],
    [
      'heap: before / fleet loaded / peak during full evaluation / end',
      `${heap0} / ${heapLoaded} / ${heapPeak} / ${heapEnd} MB${
        gc ? '' : ' (no --expose-gc: without forced GC)'
      }`,
    ],
  ];
  process.stdout.write(
    `| measure | value |\n|---|---|\n${rows
      .map(([k, v]) => `| ${k} | ${v} |`)
      .join('\n')}\n`,
  );
  process.stdout.write(`load average during the run: ${load}\n`);
  process.stdout.write(
    `node ${process.version}, ${
      require('node:os').cpus()[0]?.model ?? 'cpu'
    } × ${require('node:os').cpus().length}\n`,
  );
}

main();
