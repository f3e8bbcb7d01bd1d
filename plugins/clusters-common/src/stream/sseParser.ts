/**
 * One server-sent event. `id` is the stream's last event id (it carries over to later events,
 * as in the WHATWG spec), undefined until the server sent one.
 * @public
 */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Shared by every parser: `push` is synchronous, so no two scans overlap. */
const LINE_END = /\r\n|\r|\n/g;

/**
 * Incremental parser of the `text/event-stream` format (WHATWG HTML, "Server-sent events",
 * interpreting an event stream): text chunks in, complete events out. Lines end with CRLF, LF or
 * CR (a CRLF may be split across chunks), a line may be split across chunks, a leading BOM is
 * dropped, comments (`: ping`, the heartbeats) and unknown fields are ignored, `data:` lines are
 * joined with LF, an event with no data is not dispatched, and a partial event at the end of the
 * stream is discarded. `retry:` is ignored: the reconnect policy owns the timing.
 * @public
 */
export class SseParser {
  private buffer = '';
  private started = false;
  private skipLf = false;
  private eventType = '';
  private data: string[] = [];
  private lastEventId?: string;

  /** Feeds a chunk of decoded text; returns the events it completed, in order. */
  push(chunk: string): SseEvent[] {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.skipLf && text.length > 0) {
      // the LF of a CRLF whose CR ended the previous chunk
      if (text[0] === '\n') text = text.slice(1);
      this.skipLf = false;
    }
    // the kept buffer is one partial line: scan only what is new
    const scanFrom = this.buffer.length;
    this.buffer += text;
    const events: SseEvent[] = [];
    const lineEnd = LINE_END;
    lineEnd.lastIndex = scanFrom;
    let start = 0;
    for (let m = lineEnd.exec(this.buffer); m; m = lineEnd.exec(this.buffer)) {
      this.line(this.buffer.slice(start, m.index), events);
      start = lineEnd.lastIndex;
      // a CR that ends the chunk may be the first half of a CRLF
      if (m[0] === '\r' && start === this.buffer.length) this.skipLf = true;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string, events: SseEvent[]) {
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line[0] === ':') return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    if (field === 'event') this.eventType = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
  }

  private dispatch(events: SseEvent[]) {
    if (this.data.length > 0) {
      events.push({
        event: this.eventType || 'message',
        data: this.data.join('\n'),
        id: this.lastEventId,
      });
    }
    this.eventType = '';
    this.data = [];
  }
}
