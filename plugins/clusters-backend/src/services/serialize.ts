/*
 * JSON for large read answers without re-serialising the same cached objects on every request.
 *
 * Objects in the informer cache are never mutated after they are stored (an update replaces the
 * envelope), so their UTF-8 JSON can be memoised by identity. An answer is then the small
 * per-request skeleton (statuses, timestamps) plus the memoised bytes of its items, joined with
 * one copy: the same bytes `JSON.stringify` would produce, at a fraction of the cost (the
 * entity-workloads hot path). The memo lives as long as the object (WeakMap), so it costs at
 * most one extra copy of the objects that are actually read or streamed.
 */

const memo = new WeakMap<object, Buffer>();
const immutable = new WeakSet<object>();

/**
 * Marks an object as never mutated again, so its JSON may be memoised. Returns it.
 * @internal
 */
export function markImmutable<T extends object>(value: T): T {
  immutable.add(value);
  return value;
}

class Writer {
  readonly chunks: Buffer[] = [];
  private pending = '';

  text(s: string) {
    this.pending += s;
  }

  bytes(b: Buffer) {
    this.flush();
    this.chunks.push(b);
  }

  flush() {
    if (this.pending) {
      this.chunks.push(Buffer.from(this.pending, 'utf8'));
      this.pending = '';
    }
  }
}

/** Writes `value` as JSON; false when JSON.stringify would omit it (undefined, functions). */
function write(w: Writer, value: unknown): boolean {
  if (value === null || typeof value !== 'object') {
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) return false;
    w.text(json);
    return true;
  }
  if (immutable.has(value)) {
    let bytes = memo.get(value);
    if (!bytes) {
      bytes = Buffer.from(JSON.stringify(value), 'utf8');
      memo.set(value, bytes);
    }
    w.bytes(bytes);
    return true;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    w.text(JSON.stringify(value));
    return true;
  }
  if (Array.isArray(value)) {
    w.text('[');
    value.forEach((v, i) => {
      if (i > 0) w.text(',');
      if (!write(w, v)) w.text('null');
    });
    w.text(']');
    return true;
  }
  w.text('{');
  let first = true;
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') {
      continue;
    }
    w.text(`${first ? '' : ','}${JSON.stringify(key)}:`);
    write(w, v);
    first = false;
  }
  w.text('}');
  return true;
}

/**
 * The UTF-8 bytes of `JSON.stringify(value)` as chunks (memoised ones are shared, so never
 * modify them), reusing the memoised JSON of objects marked immutable. Writing the chunks as
 * they are avoids copying the whole answer once more per request.
 * @internal
 */
export function serializeAnswerChunks(value: unknown): Buffer[] {
  const w = new Writer();
  if (!write(w, value)) w.text('null');
  w.flush();
  return w.chunks;
}

/**
 * The UTF-8 bytes of `JSON.stringify(value)` in one buffer (see {@link serializeAnswerChunks}).
 * @internal
 */
export function serializeAnswer(value: unknown): Buffer {
  const chunks = serializeAnswerChunks(value);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
