import type { SimulatedCluster } from '../cluster';
import type { ClusterFaults } from '../faults';
import { apiVersionOf, resourceKey, ResourceType } from '../resources';
import { parseLabelSelector, SelectorError } from '../selectors';
import type { StoreEvent } from '../store';
import type { K8sObject } from '../util';
import { fieldSelectorFor } from './fieldSelectors';
import type { SimResponse, WatchSettings } from './http';
import { ApiError, badRequest, statusBody } from './status';

/**
 * WATCH as kube-apiserver 1.32 serves it: option validation and the
 * WatchList defaults (apimachinery/pkg/apis/meta/internalversion/validation,
 * defaults.go SetListOptionsDefaults, WatchList beta on in 1.32), initial
 * events for resourceVersion "" / "0" or sendInitialEvents, replay from a
 * resourceVersion, and a too-old resourceVersion answered with HTTP 200 and
 * one ERROR event (410 Expired, "too old resource version: X (Y)") before the
 * stream ends (apiserver/pkg/storage/cacher/cacher.go Watch, newErrWatcher;
 * watch_cache.go getAllEventsSinceLocked).
 */

function watchOptionsInvalid(field: string, message: string, reason: string) {
  return new ApiError(
    statusBody(
      422,
      'Invalid',
      `ListOptions.meta.k8s.io "" is invalid: ${field}: ${message}`,
      {
        group: 'meta.k8s.io',
        kind: 'ListOptions',
        causes: [{ reason, message, field }],
      },
    ),
  );
}

/** validateWatchOptions. */
function validateWatchQuery(q: URLSearchParams) {
  const match = q.get('resourceVersionMatch') ?? '';
  const sendInitial = q.get('sendInitialEvents');
  if (sendInitial !== null && match !== 'NotOlderThan')
    throw watchOptionsInvalid(
      'resourceVersionMatch',
      'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      'FieldValueForbidden',
    );
  if (match) {
    if (sendInitial === null)
      throw watchOptionsInvalid(
        'resourceVersionMatch',
        'Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        'FieldValueForbidden',
      );
    if (match !== 'NotOlderThan')
      throw watchOptionsInvalid(
        'resourceVersionMatch',
        `Unsupported value: ${JSON.stringify(
          match,
        )}: supported values: "NotOlderThan"`,
        'FieldValueNotSupported',
      );
  }
}

/** Serves a watch request as a stream of JSON lines. */
export function watchResponse(
  cluster: SimulatedCluster,
  faults: ClusterFaults,
  type: ResourceType,
  namespace: string | undefined,
  version: string,
  q: URLSearchParams,
  settings: WatchSettings,
  name?: string,
): SimResponse {
  validateWatchQuery(q);
  let labelSel: (o: K8sObject) => boolean;
  try {
    labelSel = parseLabelSelector(q.get('labelSelector'));
  } catch (e) {
    if (e instanceof SelectorError) throw badRequest(e.message);
    throw e;
  }
  const fieldSel = fieldSelectorFor(
    type,
    q.get('fieldSelector'),
    cluster.crdOf(type),
    version,
  );
  const rvParam = q.get('resourceVersion') ?? '';
  if (rvParam !== '' && !/^\d+$/.test(rvParam))
    throw badRequest(`invalid resource version: ${rvParam}`);
  const bookmarks = q.get('allowWatchBookmarks') === 'true';
  // SetListOptionsDefaults: a legacy watch ("" or "0") gets sendInitialEvents=true.
  const legacy = rvParam === '' || rvParam === '0';
  const sendInitialParam = q.get('sendInitialEvents');
  const sendInitial =
    sendInitialParam === null ? legacy : sendInitialParam === 'true';
  const initialEndBookmark = sendInitial && bookmarks;
  const timeoutSeconds = q.get('timeoutSeconds')
    ? Number(q.get('timeoutSeconds'))
    : undefined;
  const resKey = resourceKey(type);
  const inScope = (o: K8sObject | undefined): o is K8sObject =>
    !!o &&
    (!type.namespaced ||
      namespace === undefined ||
      o.metadata.namespace === namespace) &&
    (name === undefined || o.metadata.name === name) &&
    labelSel(o) &&
    fieldSel(o);
  const present = (o: K8sObject) => cluster.present(type, o, version);

  return {
    status: 200,
    headers: {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    },
    stream: sink => {
      let closed = false;
      let lastRv = cluster.store.resourceVersion;
      const timers: Array<ReturnType<typeof setTimeout>> = [];
      let unsubscribe: () => void = () => {};
      let unregister: () => void = () => {};
      const stop = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        unregister();
        timers.forEach(t => clearTimeout(t));
      };
      const send = (evType: string, obj: unknown) => {
        if (!closed)
          sink.write(`${JSON.stringify({ type: evType, object: obj })}\n`);
      };
      const bookmark = (initialEnd = false) =>
        send('BOOKMARK', {
          kind: type.kind,
          apiVersion: apiVersionOf(type.group, version),
          metadata: {
            resourceVersion: String(lastRv),
            ...(initialEnd
              ? { annotations: { 'k8s.io/initial-events-end': 'true' } }
              : {}),
          },
        });
      const onEvent = (ev: StoreEvent) => {
        if (ev.resource !== resKey) return;
        lastRv = ev.resourceVersion;
        const now = inScope(ev.object);
        const before = inScope(ev.previous);
        if (ev.type === 'ADDED') {
          if (now) send('ADDED', present(ev.object));
        } else if (ev.type === 'MODIFIED') {
          if (now && before) send('MODIFIED', present(ev.object));
          else if (now) send('ADDED', present(ev.object));
          else if (before) send('DELETED', present(ev.object));
        } else if (before) {
          send('DELETED', present(ev.object));
        }
      };

      if (sendInitial) {
        for (const o of cluster.store.list(
          resKey,
          type.namespaced ? namespace : undefined,
        )) {
          if (inScope(o)) send('ADDED', present(o));
        }
        lastRv = cluster.store.resourceVersion;
        if (initialEndBookmark) bookmark(true);
      } else if (!legacy) {
        const from = Number(rvParam);
        const events = cluster.store.eventsSince(from);
        if (!events) {
          send(
            'ERROR',
            statusBody(
              410,
              'Expired',
              `too old resource version: ${from} (${cluster.store.oldestResumableVersion})`,
            ),
          );
          stop();
          sink.end();
          return () => {};
        }
        lastRv = from;
        for (const ev of events) onEvent(ev);
        lastRv = Math.max(lastRv, from);
      }
      unsubscribe = cluster.store.subscribe(onEvent);
      unregister = faults.registerWatch(mode => {
        stop();
        if (mode === 'reset') sink.destroy();
        else sink.end();
      });
      if (bookmarks) {
        const tick = () => {
          if (closed) return;
          bookmark();
          timers.push(setTimeout(tick, settings.bookmarkIntervalMs));
        };
        timers.push(setTimeout(tick, settings.bookmarkIntervalMs));
      }
      const dropAfter = faults.current.dropWatchesAfterMs;
      const endAfter = Math.min(
        timeoutSeconds !== undefined ? timeoutSeconds * 1000 : Infinity,
        dropAfter !== undefined ? dropAfter : Infinity,
      );
      if (endAfter !== Infinity) {
        timers.push(
          setTimeout(() => {
            stop();
            sink.end();
          }, endAfter),
        );
      }
      return stop;
    },
  };
}
