/*
 * The checks of scripts/check-two-replicas.js, one function each, against backend instances of the
 * production bundle (`{ baseUrl, startedAt }`) sharing one PostgreSQL.
 */
const { Client } = require('pg');
const { get, sleep } = require('./processes');

const VIDEO = 'component:default/video-consultation';
const ENTITY_PATH = 'component/default/video-consultation';

async function call(baseUrl, token, method, path, body) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/**
 * Polls until the replica serves the entity page of video-consultation: the page itself (the app),
 * the entity from the catalog and its workloads on cloud-east. Resolves with the milliseconds from
 * the replica's start.
 */
async function timeToFirstPage(replica, token, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const page = await get(
        `${replica.baseUrl}/catalog/default/${ENTITY_PATH}`,
      );
      const entity = await call(
        replica.baseUrl,
        token,
        'GET',
        `/api/catalog/entities/by-name/${ENTITY_PATH}`,
      );
      const workloads = await call(
        replica.baseUrl,
        token,
        'GET',
        `/api/clusters/v1/entities/${ENTITY_PATH}/workloads?clusters=cloud-east`,
      );
      const east = workloads.json?.clusters?.find(
        c => c.cluster === 'cloud-east',
      );
      if (
        page.status === 200 &&
        /<div id="root">/.test(page.body) &&
        entity.status === 200 &&
        east?.status === 'ok' &&
        east.pods?.length > 0
      ) {
        return { ms: Date.now() - replica.startedAt, pods: east.pods.length };
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(
        `${replica.baseUrl} served no entity page in ${timeoutMs} ms`,
      );
    await sleep(500);
  }
}

/**
 * Opens the SSE stream of a replica and watches the entity's pods on cloud-east; `waitFor` reads
 * until an event matches (60 s at most).
 */
async function openPodWatch(replica, token) {
  const controller = new AbortController();
  const res = await fetch(`${replica.baseUrl}/api/clusters/v1/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  if (res.status !== 200) throw new Error(`stream answered ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events = [];
  const waitFor = async match => {
    const timer = setTimeout(() => controller.abort(), 60_000);
    try {
      for (;;) {
        const hit = events.find(match);
        if (hit) return hit;
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .filter(l => l.startsWith('data: '))
            .map(l => l.slice(6))
            .join('\n');
          buffer = buffer.slice(end + 2);
          if (data) events.push(JSON.parse(data));
          end = buffer.indexOf('\n\n');
        }
      }
    } finally {
      clearTimeout(timer);
    }
  };
  const ready = await waitFor(e => e.type === 'ready');
  const put = await call(
    replica.baseUrl,
    token,
    'PUT',
    `/api/clusters/v1/stream/${ready.streamId}/watches/pods`,
    { entityRef: VIDEO, kinds: ['Pod'], clusters: ['cloud-east'] },
  );
  if (put.status !== 204) {
    controller.abort();
    throw new Error(`watch answered ${put.status}: ${put.text}`);
  }
  return { waitFor, close: () => controller.abort() };
}

/**
 * Both replicas' streams deliver one change on the cluster: an annotation set on one of the
 * entity's pods through the simulator's control API. Resolves with the pod's name.
 */
async function liveStreams(replicas, token, controlUrl, runId) {
  const watches = await Promise.all(replicas.map(r => openPodWatch(r, token)));
  try {
    const pods = await call(
      controlUrl,
      token,
      'GET',
      '/_sim/clusters/cloud-east/objects?apiVersion=v1&kind=Pod&namespace=video-consultation',
    );
    const pod = (pods.json?.items ?? pods.json ?? [])[0]?.metadata?.name;
    if (!pod)
      throw new Error(
        `no pod of video-consultation on cloud-east: ${pods.text.slice(
          0,
          200,
        )}`,
      );
    // the informers may still be starting: repeat the change until both streams saw it
    const seen = Promise.all(
      watches.map(w =>
        w.waitFor(
          e =>
            e.type === 'upsert' &&
            e.object?.name === pod &&
            e.object?.object?.metadata?.annotations?.[
              'careplane.io/replica-check'
            ] === runId,
        ),
      ),
    );
    let done = false;
    seen.finally(() => (done = true)).catch(() => {});
    for (let i = 0; !done && i < 20; i++) {
      await call(
        controlUrl,
        token,
        'POST',
        '/_sim/clusters/cloud-east/mutate',
        {
          apiVersion: 'v1',
          kind: 'Pod',
          namespace: 'video-consultation',
          name: pod,
          merge: {
            metadata: { annotations: { 'careplane.io/replica-check': runId } },
          },
        },
      );
      await Promise.race([seen.catch(() => {}), sleep(2000)]);
    }
    await seen;
    return pod;
  } finally {
    watches.forEach(w => w.close());
  }
}

/**
 * Sends `count` audited requests to each replica at once (a delete of an invalid object name: a
 * refusal, which the gateway records with outcome `denied`), then counts the rows in the one
 * audit table of the shared database.
 */
async function auditWithoutLoss(replicas, token, pg, database, count, runId) {
  const sent = await Promise.all(
    replicas.map((replica, r) =>
      Promise.all(
        Array.from({ length: count }, (_, i) =>
          call(replica.baseUrl, token, 'POST', '/api/clusters/v1/delete', {
            entityRef: VIDEO,
            cluster: 'cloud-east',
            kind: 'Pod',
            namespace: 'video-consultation',
            name: '..',
            reason: `${runId} replica-${r + 1} #${i}`,
          }),
        ),
      ),
    ),
  );
  const statuses = sent.flat().map(r => r.status);
  const client = new Client({
    ...pg,
    port: Number(pg.port),
    database,
    ssl: pg.ssl,
  });
  await client.connect();
  try {
    const perReplica = [];
    for (let r = 0; r < replicas.length; r++) {
      const { rows } = await client.query(
        'SELECT count(*)::int AS n FROM clusters_audit_log WHERE reason LIKE $1',
        [`${runId} replica-${r + 1} #%`],
      );
      perReplica.push(rows[0].n);
    }
    return { statuses, perReplica };
  } finally {
    await client.end();
  }
}

/**
 * Triggers the global scheduled tasks of a plugin on every replica at once, then samples them on
 * every replica for `ms`: which replica's worker was seen running each task, whether two were ever
 * seen running the same task at the same time, and how many runs ended (distinct
 * `lastRunEndedAt`, shared through the database) since the trigger.
 */
async function scheduledTaskOnce(replicas, token, plugin, ms) {
  const base = `/api/${plugin}/.backstage/scheduler/v1/tasks`;
  const first = await call(replicas[0].baseUrl, token, 'GET', base);
  if (first.status !== 200) throw new Error(`${base} answered ${first.status}`);
  const globals = first.json.tasks
    .filter(t => t.scope === 'global')
    .map(t => t.taskId);
  if (globals.length === 0) throw new Error(`${plugin} has no global task`);
  const before = Object.fromEntries(
    first.json.tasks.map(t => [t.taskId, t.taskState?.lastRunEndedAt]),
  );
  const triggers = await Promise.all(
    replicas.flatMap(r =>
      globals.map(id =>
        call(
          r.baseUrl,
          token,
          'POST',
          `${base}/${encodeURIComponent(id)}/trigger`,
        ),
      ),
    ),
  );
  const ranOn = Object.fromEntries(globals.map(id => [id, new Set()]));
  const ended = Object.fromEntries(globals.map(id => [id, new Set()]));
  let overlaps = 0;
  let samples = 0;
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const states = await Promise.all(
      replicas.map(r => call(r.baseUrl, token, 'GET', base)),
    );
    samples++;
    for (const id of globals) {
      const tasks = states.map(s => s.json?.tasks?.find(t => t.taskId === id));
      const running = tasks
        .map((t, i) => (t?.workerState?.status === 'running' ? i + 1 : 0))
        .filter(Boolean);
      for (const r of running) ranOn[id].add(r);
      if (running.length > 1) overlaps++;
      for (const t of tasks) {
        const end = t?.taskState?.lastRunEndedAt;
        if (end && end !== before[id]) ended[id].add(end);
      }
    }
    await sleep(25);
  }
  return {
    tasks: globals,
    triggerStatuses: triggers.map(t => t.status),
    ranOn: Object.fromEntries(
      Object.entries(ranOn).map(([k, v]) => [k, [...v]]),
    ),
    runsEnded: Object.fromEntries(
      Object.entries(ended).map(([k, v]) => [k, v.size]),
    ),
    overlaps,
    samples,
  };
}

/**
 * Applies one ConfigMap through replica 1, then retries the identical request on replica 2 (a
 * client whose first answer was lost): the object on the cluster must be unchanged by the retry.
 */
async function retriedWrite(replicas, token, runId, controlUrl) {
  const name = `replica-check-${runId}`.toLowerCase();
  const body = {
    entityRef: VIDEO,
    cluster: 'cloud-east',
    reason: `${runId} retried write`,
    manifest: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        namespace: 'video-consultation',
        labels: { 'backstage.io/kubernetes-id': 'video-consultation' },
      },
      data: { feature: 'on' },
    },
  };
  // what the cluster holds (the simulator's control API), not what an answer says
  const onCluster = async () => {
    const res = await call(
      controlUrl,
      token,
      'GET',
      '/_sim/clusters/cloud-east/objects?apiVersion=v1&kind=ConfigMap&namespace=video-consultation',
    );
    const items = res.json?.items ?? res.json ?? [];
    return items.find(o => o.metadata?.name === name)?.metadata
      ?.resourceVersion;
  };
  const first = await call(
    replicas[0].baseUrl,
    token,
    'POST',
    '/api/clusters/v1/apply',
    body,
  );
  const afterFirst = await onCluster();
  const retry = await call(
    replicas[1].baseUrl,
    token,
    'POST',
    '/api/clusters/v1/apply',
    body,
  );
  const afterRetry = await onCluster();
  return {
    statuses: [first.status, retry.status],
    resourceVersions: [afterFirst, afterRetry],
    detail:
      first.status >= 300 ? first.text.slice(0, 300) : retry.text.slice(0, 300),
  };
}

module.exports = {
  timeToFirstPage,
  liveStreams,
  auditWithoutLoss,
  scheduledTaskOnce,
  retriedWrite,
};
