import { SseEvent, SseParser } from './sseParser';

/**
 * A stream body: a WHATWG `ReadableStream` of bytes (browser and Node `fetch`), or any async
 * iterable of text or byte chunks.
 * @public
 */
export type SseSource =
  | {
      getReader(): {
        read(): Promise<{ done: boolean; value?: Uint8Array }>;
        releaseLock(): void;
      };
    }
  | AsyncIterable<string | Uint8Array>;

async function* chunksOf(
  source: SseSource,
): AsyncGenerator<string | Uint8Array> {
  if (!('getReader' in source)) {
    yield* source;
    return;
  }
  // Safari's ReadableStream is not async-iterable: read it with a reader
  const reader = source.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * The events of an SSE body, decoded as UTF-8 and parsed by {@link SseParser}. `onActivity` is
 * called for every chunk received, heartbeat comments included, so a caller can tell a silent
 * connection from a quiet one.
 * @public
 */
export async function* readSseEvents(
  source: SseSource,
  onActivity?: () => void,
): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  for await (const chunk of chunksOf(source)) {
    onActivity?.();
    const text =
      typeof chunk === 'string'
        ? chunk
        : decoder.decode(chunk, { stream: true });
    yield* parser.push(text);
  }
}
