import type { KubeObject } from '@careplane/plugin-clusters-common';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

function stripContainers(node: unknown, depth: number) {
  // Walks any object shape so pod templates inside CRDs (Rollout, PyTorchJob, TrainJob, …) are
  // covered without knowing their schema. Depth-bounded against pathological input.
  if (depth > 12 || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) stripContainers(item, depth + 1);
    return;
  }
  const record = node as Record<string, unknown>;
  for (const listKey of CONTAINER_LISTS) {
    const list = record[listKey];
    if (Array.isArray(list)) {
      for (const container of list) {
        const env = container?.env;
        if (Array.isArray(env)) {
          container.env = env.map((e: any) => {
            // keep the name and where a value comes from; never the literal value
            const { value, ...rest } = e ?? {};
            return value === undefined
              ? rest
              : { ...rest, valueRedacted: true };
          });
        }
      }
    }
  }
  for (const [key, value] of Object.entries(record)) {
    if (key === 'metadata' || key === 'status') continue;
    if (value && typeof value === 'object') stripContainers(value, depth + 1);
  }
}

/**
 * Removes what must never leave the backend (or be cached): managedFields, the
 * last-applied-configuration annotation, Secret `data` / `stringData`, ConfigMap `data` /
 * `binaryData` (key names are kept in `dataKeys` / `binaryDataKeys`), and the literal `value` of
 * every container env var (names and `valueFrom` refs are kept). Mutates and returns `obj`.
 * @internal
 */
export function stripObject(obj: KubeObject): KubeObject {
  const metadata = obj.metadata ?? ({} as KubeObject['metadata']);
  delete metadata.managedFields;
  if (metadata.annotations && LAST_APPLIED in metadata.annotations) {
    const { [LAST_APPLIED]: _dropped, ...rest } = metadata.annotations;
    metadata.annotations = rest;
  }
  const kind = obj.kind;
  if (kind === 'Secret') {
    const keys = new Set([
      ...Object.keys((obj.data as object) ?? {}),
      ...Object.keys((obj.stringData as object) ?? {}),
    ]);
    delete obj.data;
    delete obj.stringData;
    obj.dataKeys = [...keys].sort();
  } else if (kind === 'ConfigMap') {
    obj.dataKeys = Object.keys((obj.data as object) ?? {}).sort();
    obj.binaryDataKeys = Object.keys((obj.binaryData as object) ?? {}).sort();
    delete obj.data;
    delete obj.binaryData;
  }
  if (obj.spec) stripContainers(obj.spec, 0);
  return obj;
}
