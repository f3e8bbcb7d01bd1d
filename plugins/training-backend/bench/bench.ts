/*
 * bench:training — the run list at scale: 10,000 persisted runs, the first page (50, newest
 * first, keyset paging) and filtered first pages, p50 / p95 over BENCH_ITERATIONS reads, on
 * SQLite (a file, as a single dev instance) and on PostgreSQL when TRAINING_BENCH_PG holds a
 * connection string; then launch to "queued" against the simulator (bench/launch.ts). Each read is what `GET /v1/runs` does: the store query plus presenting the
 * rows (GPU-hours and cost).
 *
 *   npm run bench:training
 *   TRAINING_BENCH_PG=postgresql://postgres@127.0.0.1:5432 npm run bench:training
 */
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { RunState } from '@careplane/plugin-training-common';
import knexFactory, { Knex } from 'knex';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseRunStore } from '../src/database/DatabaseRunStore';
import type { RunFilter, RunRecord } from '../src/database/RunStore';
import { presentRun } from '../src/services/TrainingService/present';
import { benchLaunch } from './launch';

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const PAGE = 50;

const PHASES: RunState['phase'][] = [
  'succeeded',
  'failed',
  'cancelled',
  'running',
  'queued',
];
const ENTITIES = Array.from(
  { length: 40 },
  (_, i) => `component:default/model-${i}`,
);
const TEAMS = Array.from({ length: 8 }, (_, i) => `group:default/team-${i}`);
const CLUSTERS = ['gpu-research', 'gpu-east', 'gpu-west'];

function record(i: number): RunRecord {
  const created = Date.UTC(2026, 0, 1) + i * 60_000;
  const phase = PHASES[i % PHASES.length];
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    createdBy: `user:default/person-${i % 97}`,
    idempotencyKey: `bench-${String(i).padStart(8, '0')}`,
    name: `run-${i}`,
    entityRef: ENTITIES[i % ENTITIES.length],
    team: TEAMS[i % TEAMS.length],
    cluster: CLUSTERS[i % CLUSTERS.length],
    namespace: 'ml',
    kind: 'Job',
    objectName: `run-${i}-abcdef`,
    objectSeen: true,
    parameters: {
      runtime: 'job',
      image: 'registry.example/ml/train:1',
      command: ['torchrun', 'train.py'],
      args: ['--epochs=3'],
      gpuType: 'nvidia-a100-80gb',
      gpuResource: 'nvidia.com/gpu',
      gpusPerNode: 4,
      nodes: 2,
      cpu: '32',
      memory: '256Gi',
      hyperParameters: { LEARNING_RATE: '0.0003', BATCH_SIZE: '64' },
      secretEnv: [{ name: 'HF_TOKEN', secretName: 'hf-token', key: 'token' }],
      maxRuntimeMinutes: 600,
      queue: 'ml',
      pricePerGpuHour: 3.67,
    },
    totalGpus: 8,
    pricePerGpuHour: 3.67,
    state: { phase, message: phase },
    stateChangedAt: new Date(created + 3_600_000).toISOString(),
    createdAt: new Date(created).toISOString(),
    startedAt: new Date(created + 600_000).toISOString(),
    finishedAt: ['running', 'queued'].includes(phase)
      ? undefined
      : new Date(created + 3_600_000).toISOString(),
  };
}

function database(knex: Knex): DatabaseService {
  return { getClient: async () => knex, migrations: { skip: false } };
}

function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

async function measure(
  store: DatabaseRunStore,
  filter: RunFilter,
  cursor?: string,
) {
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t = performance.now();
    const page = await store.list(filter, PAGE, cursor);
    page.items.map(r => presentRun(r, [], Date.now()));
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return `${percentile(times, 50).toFixed(2)} / ${percentile(times, 95).toFixed(
    2,
  )} ms`;
}

async function bench(label: string, knex: Knex) {
  const store = await DatabaseRunStore.create({ database: database(knex) });
  const t0 = performance.now();
  const rows = Array.from({ length: RUNS }, (_, i) => record(i));
  for (let i = 0; i < rows.length; i += 500) {
    await Promise.all(rows.slice(i, i + 500).map(r => store.insert(r)));
  }
  const seeded = ((performance.now() - t0) / 1000).toFixed(1);
  const second = (await store.list({}, PAGE)).nextCursor;
  const deep = (await store.list({}, 5000)).nextCursor;
  const results = {
    'first page (50, newest first)': await measure(store, {}),
    'second page (cursor)': await measure(store, {}, second),
    'page after 5,000 runs (cursor)': await measure(store, {}, deep),
    'first page of one entity (250 runs)': await measure(store, {
      entityRef: ENTITIES[3],
    }),
    'first page of one team and phase': await measure(store, {
      team: TEAMS[2],
      phase: 'succeeded',
    }),
    'first page of one cluster': await measure(store, { cluster: CLUSTERS[1] }),
  };
  console.log(
    `\n${label}: ${RUNS} runs seeded in ${seeded} s; p50 / p95 over ${ITERATIONS} reads`,
  );
  for (const [k, v] of Object.entries(results))
    console.log(`  ${k.padEnd(40)} ${v}`);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'training-bench-'));
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'runs.sqlite') },
    useNullAsDefault: true,
  });
  try {
    await bench('SQLite (file)', sqlite);
  } finally {
    await sqlite.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
  await benchLaunch();
  const pg = process.env.TRAINING_BENCH_PG;
  if (!pg) {
    console.log(
      '\nPostgreSQL: skipped (set TRAINING_BENCH_PG to a connection string)',
    );
    return;
  }
  const admin = knexFactory({ client: 'pg', connection: pg });
  const db = `training_bench_${Date.now()}`;
  await admin.raw(`CREATE DATABASE ${db}`);
  const url = new URL(pg);
  url.pathname = `/${db}`;
  const client = knexFactory({ client: 'pg', connection: url.toString() });
  try {
    await bench('PostgreSQL', client);
  } finally {
    await client.destroy();
    await admin.raw(`DROP DATABASE ${db}`);
    await admin.destroy();
  }
}

main().then(
  // the in-process backend of the launch measurement keeps timers; the numbers are out
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
