import { expandApp } from './apps';
import { ApiError, SimClock, SimulatedCluster } from './cluster';
import { ClusterControllers, ensureNodes } from './controllers';
import { ClusterFaults, FaultConfig } from './faults';
import { crdObject, KNOWN_CRDS, resourceKey } from './resources';
import { strategicMergePatch } from './patch';
import { LoadedScenario, Scenario, ScenarioError } from './scenario';
import { fnv32, K8sObject, parseDurationSeconds } from './util';

/** Options for building a simulation. */
export interface SimulationOptions {
  /** Overrides the scenario seed. */
  seed?: number;
  /** Simulated seconds per real second (0 = only manual `advance`). */
  speed?: number;
  /** Overrides the scenario start time (epoch ms or ISO). */
  startTime?: number | string;
  /** Where errors about scenario objects point (from loadScenarioFileWithPositions). */
  locate?: LoadedScenario['locate'];
}

/** One cluster of a simulation with its fault state and controllers. */
export interface ClusterHandle {
  cluster: SimulatedCluster;
  faults: ClusterFaults;
  controllers: ClusterControllers;
  spec: Scenario['clusters'][number];
}

class MutableClock implements SimClock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
}

const TICK_MS = 1000;

/**
 * An in-process world of simulated clusters sharing one simulated clock.
 * It is what the HTTP server, the msw handlers and the metrics endpoint read
 * from. Time moves with `advance()` or, once `startTicking()` is called, with
 * real time multiplied by `speed`.
 */
export class Simulation {
  readonly clusters = new Map<string, ClusterHandle>();
  readonly seed: number;
  readonly startedAt: number;
  private readonly clock: MutableClock;
  private speedValue: number;
  private timer?: ReturnType<typeof setInterval>;
  private lastReal = 0;
  private pendingTimeline: Array<{
    atMs: number;
    index: number;
    entry: NonNullable<Scenario['timeline']>[number];
  }>;

  constructor(readonly scenario: Scenario, options: SimulationOptions = {}) {
    this.seed = options.seed ?? scenario.seed ?? 1;
    this.speedValue = options.speed ?? scenario.speed ?? 1;
    const warmupMs = (parseDurationSeconds(scenario.warmup ?? 0) ?? 0) * 1000;
    const start = options.startTime ?? scenario.startTime;
    const startMs =
      start !== undefined
        ? typeof start === 'number'
          ? start
          : Date.parse(start)
        : Math.floor((Date.now() - warmupMs) / 1000) * 1000;
    this.startedAt = startMs;
    this.clock = new MutableClock(startMs);
    this.pendingTimeline = (scenario.timeline ?? []).map((entry, index) => ({
      atMs: startMs + (parseDurationSeconds(entry.at) ?? 0) * 1000,
      index,
      entry,
    }));
    scenario.clusters.forEach((spec, ci) => {
      const seed = (this.seed ^ fnv32(spec.name)) >>> 0;
      const cluster = new SimulatedCluster({
        name: spec.name,
        token: spec.token ?? `sim-token-${spec.name}`,
        users: spec.users,
        seed,
        clock: this.clock,
        podReadySeconds: spec.podReadySeconds,
        historyLimit: spec.historyLimit,
        events: spec.events,
        nodes: spec.nodes,
      });
      const faults = new ClusterFaults(seed);
      if (spec.faults) faults.set(spec.faults);
      // Controllers first: they register admission hooks (Kueue suspends queued jobs).
      const controllers = new ClusterControllers(cluster);
      this.install(cluster, spec, ci, options.locate);
      this.clusters.set(spec.name, { cluster, faults, controllers, spec });
    });
    // Pending app updates become timeline entries.
    scenario.clusters.forEach(spec => {
      for (const app of spec.apps ?? []) {
        if (!app.update) continue;
        const kind = app.kind ?? 'Deployment';
        const apiVersion =
          kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1';
        this.pendingTimeline.push({
          atMs: startMs + (parseDurationSeconds(app.update.at) ?? 0) * 1000,
          index: 100000 + this.pendingTimeline.length,
          entry: {
            at: app.update.at,
            cluster: spec.name,
            patch: {
              apiVersion,
              kind,
              namespace: app.namespace ?? app.name,
              name: app.name,
              merge: {
                spec: {
                  template: {
                    metadata: {
                      labels: {
                        'app.kubernetes.io/version':
                          app.update.image.split(':')[1] ?? 'latest',
                      },
                      ...(app.update.podAnnotations
                        ? { annotations: app.update.podAnnotations }
                        : {}),
                    },
                    spec: {
                      containers: [{ name: app.name, image: app.update.image }],
                    },
                  },
                },
              },
            },
          },
        });
      }
    });
    this.pendingTimeline.sort((a, b) => a.atMs - b.atMs || a.index - b.index);
    for (const h of this.clusters.values())
      h.controllers.reconcile(this.clock.ms);
    if (warmupMs > 0) this.advance(warmupMs / 1000);
  }

  private install(
    cluster: SimulatedCluster,
    spec: Scenario['clusters'][number],
    ci: number,
    locate?: LoadedScenario['locate'],
  ) {
    const scenarioError = (path: Array<string | number>, message: string) => {
      const pos = locate?.(path) ?? { line: 1, col: 1 };
      return new ScenarioError(
        this.scenario.source ?? '<scenario>',
        pos.line,
        pos.col,
        message,
      );
    };
    for (const addon of spec.addons ?? []) {
      for (const crd of KNOWN_CRDS[addon] ?? [])
        cluster.writeInternal(crdObject(crd), 'careplane-sim-scenario');
    }
    ensureNodes(cluster, spec.nodes);
    for (const ns of [
      'default',
      'kube-system',
      'kube-public',
      'kube-node-lease',
    ]) {
      cluster.create(
        cluster.typeByKind('', 'Namespace')!,
        '',
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        { fieldManager: 'kube-apiserver' },
      );
    }
    const create = (obj: K8sObject, path: Array<string | number>) => {
      const type = cluster.typeFor(obj.apiVersion ?? '', obj.kind ?? '');
      if (!type) {
        const hint = Object.entries(KNOWN_CRDS).find(([, list]) =>
          list.some(c => c.kind === obj.kind),
        );
        throw scenarioError(
          path,
          `cluster "${spec.name}" does not serve ${obj.kind} (${
            obj.apiVersion
          })${hint ? `: add the "${hint[0]}" addon` : ''}`,
        );
      }
      const ns = obj.metadata?.namespace ?? (type.namespaced ? 'default' : '');
      if (type.namespaced && !cluster.store.get('namespaces', '', ns)) {
        cluster.create(
          cluster.typeByKind('', 'Namespace')!,
          '',
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
          { fieldManager: 'careplane-sim-scenario' },
        );
      }
      if (
        type.kind === 'Namespace' &&
        cluster.store.get('namespaces', '', obj.metadata.name!)
      )
        return;
      try {
        const created = cluster.create(type, ns, obj, {
          fieldManager: 'kubectl-client-side-apply',
        });
        if (obj.status !== undefined && type.subresources.includes('status')) {
          cluster.writeInternal({ ...created, status: obj.status });
        }
      } catch (e) {
        if (e instanceof ApiError)
          throw scenarioError(
            path,
            `${obj.kind} "${obj.metadata?.name}": ${e.body.message}`,
          );
        throw e;
      }
    };
    (spec.apps ?? []).forEach((app, ai) => {
      for (const obj of expandApp(app, spec.name))
        create(obj, ['clusters', ci, 'apps', ai]);
    });
    (spec.objects ?? []).forEach((obj, oi) =>
      create(obj, ['clusters', ci, 'objects', oi]),
    );
  }

  /** Simulated time, epoch ms. */
  now(): number {
    return this.clock.ms;
  }

  get speed(): number {
    return this.speedValue;
  }

  /** Changes how many simulated seconds pass per real second. */
  setSpeed(speed: number): void {
    this.speedValue = Math.max(0, speed);
  }

  /** The cluster with this name (throws if unknown). */
  handle(name: string): ClusterHandle {
    const h = this.clusters.get(name);
    if (!h) throw new Error(`unknown simulated cluster "${name}"`);
    return h;
  }

  /** The cluster with this name. */
  cluster(name: string): SimulatedCluster {
    return this.handle(name).cluster;
  }

  /** Fault state of a cluster. */
  faults(name: string): ClusterFaults {
    return this.handle(name).faults;
  }

  private runTimeline(upTo: number) {
    while (
      this.pendingTimeline.length &&
      this.pendingTimeline[0].atMs <= upTo
    ) {
      const { entry } = this.pendingTimeline.shift()!;
      const h = this.clusters.get(entry.cluster);
      if (!h) continue;
      const c = h.cluster;
      if (entry.apply) {
        const type = c.typeFor(
          entry.apply.apiVersion ?? '',
          entry.apply.kind ?? '',
        );
        if (type) {
          const ns = type.namespaced
            ? entry.apply.metadata.namespace ?? 'default'
            : '';
          const existing = c.store.get(
            resourceKey(type),
            ns,
            entry.apply.metadata.name!,
          );
          if (existing) {
            // kubectl apply sends the live resourceVersion back (custom resources require it).
            const body = {
              ...entry.apply,
              metadata: {
                ...entry.apply.metadata,
                resourceVersion: existing.metadata.resourceVersion,
              },
            };
            c.update(type, ns, entry.apply.metadata.name!, body, {
              fieldManager: 'kubectl-client-side-apply',
            });
          } else {
            c.create(type, ns, entry.apply, {
              fieldManager: 'kubectl-client-side-apply',
            });
          }
        }
      }
      if (entry.patch) {
        const type = c.typeFor(entry.patch.apiVersion, entry.patch.kind);
        const ns = type?.namespaced ? entry.patch.namespace ?? 'default' : '';
        const current =
          type && c.store.get(resourceKey(type), ns, entry.patch.name);
        if (type && current) {
          // Strategic merge (containers merged by name) even for custom resources,
          // so a timeline can change one image without restating the template.
          const next = strategicMergePatch(current, entry.patch.merge);
          c.update(type, ns, entry.patch.name, next, {
            fieldManager: 'kubectl-edit',
            subresource: entry.patch.subresource,
          });
        }
      }
      if (entry.delete) {
        const type = c.typeFor(entry.delete.apiVersion, entry.delete.kind);
        if (type)
          c.removeCascade(
            resourceKey(type),
            type.namespaced ? entry.delete.namespace ?? 'default' : '',
            entry.delete.name,
          );
      }
      if (entry.fault) h.faults.update(entry.fault as FaultConfig);
    }
  }

  /**
   * Advances simulated time by `seconds`, running the timeline and the
   * controllers of every cluster. Deterministic: the same seed and the same
   * calls give the same world.
   */
  advance(seconds: number): void {
    const target = this.clock.ms + Math.max(0, seconds) * 1000;
    while (this.clock.ms < target) {
      const busy = [...this.clusters.values()].some(
        h => h.controllers.describe().dirty > 0,
      );
      let next = this.clock.ms + TICK_MS;
      if (!busy) {
        const wake = Math.min(
          ...[...this.clusters.values()].map(
            h => h.controllers.nextWakeup() ?? Infinity,
          ),
          this.pendingTimeline[0]?.atMs ?? Infinity,
        );
        next = Math.max(next, Math.min(wake, target));
      }
      this.clock.ms = Math.min(next, target);
      this.runTimeline(this.clock.ms);
      for (const h of this.clusters.values())
        h.controllers.reconcile(this.clock.ms);
    }
  }

  /** Starts moving time with the real clock (speed × real time). */
  startTicking(realTickMs = 200): void {
    if (this.timer) return;
    this.lastReal = Date.now();
    this.timer = setInterval(() => {
      const real = Date.now();
      const dt = real - this.lastReal;
      this.lastReal = real;
      if (this.speedValue > 0) this.advance((dt * this.speedValue) / 1000);
    }, realTickMs);
    this.timer.unref?.();
  }

  /** Stops the real-time clock. */
  stopTicking(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops timers and controllers. */
  dispose(): void {
    this.stopTicking();
    for (const h of this.clusters.values()) h.controllers.stop();
  }
}
