/**
 * One server-sent event.
 * @internal
 */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/**
 * Splits an SSE byte stream into events (the WHATWG event-stream format: `\n`, `\r\n` or `\r`
 * line ends, multi-line `data:`, comments). `onActivity` is called for every chunk received,
 * comments (heartbeats) included, so a caller can detect a silent connection.
 * @internal
 */
export async function* readSseMessages(
  body: ReadableStream<Uint8Array>,
  onActivity?: () => void,
): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = 'message';
  let id: string | undefined;
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      onActivity?.();
      buffer += decoder.decode(value, { stream: true });
      // a trailing `\r` may be the first half of a `\r\n` split across chunks: keep it back
      const hold = buffer.endsWith('\r') ? '\r' : '';
      const lines = (hold ? buffer.slice(0, -1) : buffer).split(/\r\n|\r|\n/);
      // the last piece is an incomplete line
      buffer = (lines.pop() ?? '') + hold;
      for (const line of lines) {
        if (line === '') {
          if (data.length) yield { event, data: data.join('\n'), id };
          event = 'message';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let fieldValue = colon < 0 ? '' : line.slice(colon + 1);
        if (fieldValue.startsWith(' ')) fieldValue = fieldValue.slice(1);
        if (field === 'event') event = fieldValue;
        else if (field === 'data') data.push(fieldValue);
        else if (field === 'id') id = fieldValue;
      }
    }
  } finally {
    reader.releaseLock();
  }
}
