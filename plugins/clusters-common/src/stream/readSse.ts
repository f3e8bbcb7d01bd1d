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
  if (!('getReader' in source)) {
    const decoder = new TextDecoder();
    for await (const chunk of source) {
      onActivity?.();
      yield* parser.push(
        typeof chunk === 'string'
          ? chunk
          : decoder.decode(chunk, { stream: true }),
      );
    }
    return;
  }
  // Safari's ReadableStream is not async-iterable: read it with a reader
  const reader = source.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onActivity?.();
      if (value) yield* parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    reader.releaseLock();
  }
}
