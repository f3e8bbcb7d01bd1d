import type { KubeObject } from '@careplane/plugin-clusters-common';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function redactEnvList(env: unknown[]): unknown[] {
  return env.map(e => {
    if (!e || typeof e !== 'object' || !('value' in e)) return e;
    // keep the name and where a value comes from; never the literal value
    const { value: _value, ...rest } = e as Record<string, unknown>;
    return { ...rest, valueRedacted: true };
  });
}

/**
 * Redacts the literal `value` of every item of every `env` list anywhere in the object (outside
 * `metadata`): containers and init containers of pod templates, but also runtime specs that keep
 * env outside a container list (a Kubeflow TrainJob's `spec.trainer.env`, Argo analysis
 * templates, …), whatever their schema. Iterative, so no nesting depth escapes it or overflows
 * the stack.
 */
function redactEnv(root: Record<string, unknown>) {
  const stack: unknown[] = [];
  for (const [key, value] of Object.entries(root)) {
    if (key !== 'metadata' && value && typeof value === 'object') {
      stack.push(value);
    }
  }
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const item of node) {
        if (item && typeof item === 'object') stack.push(item);
      }
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (key === 'env' && Array.isArray(value)) {
        record.env = redactEnvList(value);
        continue;
      }
      if (value && typeof value === 'object') stack.push(value);
    }
  }
}

/**
 * Removes what must never leave the backend (or be cached): managedFields, the
 * last-applied-configuration annotation, Secret `data` / `stringData`, ConfigMap `data` /
 * `binaryData` (key names are kept in `dataKeys` / `binaryDataKeys`), and the literal `value` of
 * every env var anywhere in the object (names and `valueFrom` refs are kept). Mutates and returns
 * `obj`.
 *
 * What is redacted is decided by `kind`, the kind that was **requested** — list items of built-in
 * kinds carry no `kind` on a real API server, so the object's own field cannot be trusted (it is
 * honoured too, as a second reason to redact, never as the only one).
 * @internal
 */
export function stripObject(obj: KubeObject, kind: string): KubeObject {
  const metadata = obj.metadata ?? ({} as KubeObject['metadata']);
  delete metadata.managedFields;
  if (metadata.annotations && LAST_APPLIED in metadata.annotations) {
    const { [LAST_APPLIED]: _dropped, ...rest } = metadata.annotations;
    metadata.annotations = rest;
  }
  if (kind === 'Secret' || obj.kind === 'Secret') {
    const keys = new Set([
      ...Object.keys((obj.data as object) ?? {}),
      ...Object.keys((obj.stringData as object) ?? {}),
    ]);
    delete obj.data;
    delete obj.stringData;
    obj.dataKeys = [...keys].sort();
  }
  if (kind === 'ConfigMap' || obj.kind === 'ConfigMap') {
    obj.dataKeys = Object.keys((obj.data as object) ?? {}).sort();
    obj.binaryDataKeys = Object.keys((obj.binaryData as object) ?? {}).sort();
    delete obj.data;
    delete obj.binaryData;
  }
  redactEnv(obj as unknown as Record<string, unknown>);
  return obj;
}
