import { SseEvent, SseParser } from './sseParser';

function parse(chunks: string[]): SseEvent[] {
  const parser = new SseParser();
  return chunks.flatMap(c => parser.push(c));
}

const msg = (data: string, extra: Partial<SseEvent> = {}): SseEvent => ({
  event: 'message',
  data,
  id: undefined,
  ...extra,
});

describe('SseParser', () => {
  it.each<[string, string[], SseEvent[]]>([
    ['one event', ['data: a\n\n'], [msg('a')]],
    [
      'named event',
      ['event: ready\ndata: {}\n\n'],
      [msg('{}', { event: 'ready' })],
    ],
    [
      'multi-line data joined with LF',
      ['data: a\ndata: b\ndata\n\n'],
      [msg('a\nb\n')],
    ],
    [
      'one leading space removed, no more',
      ['data:  two spaces\ndata:none\n\n'],
      [msg(' two spaces\nnone')],
    ],
    ['a colon in the value', ['data: {"a":"b:c"}\n\n'], [msg('{"a":"b:c"}')]],
    ['comments (heartbeats) only', [': ping\n\n', ':\n\n'], []],
    [
      'comment inside an event',
      ['data: a\n: ping\ndata: b\n\n'],
      [msg('a\nb')],
    ],
    ['CRLF line ends', ['data: a\r\n\r\n'], [msg('a')]],
    ['CR line ends', ['data: a\r\rdata: b\r\r'], [msg('a'), msg('b')]],
    ['CRLF split across chunks', ['data: a\r', '\n\r', '\n'], [msg('a')]],
    [
      'CR at a chunk end then a new line',
      ['data: a\r', '\rdata: b\n\n'],
      [msg('a'), msg('b')],
    ],
    [
      'line split across chunks',
      ['da', 'ta: he', 'llo\n', '\n'],
      [msg('hello')],
    ],
    ['leading BOM dropped', ['\uFEFFdata: a\n\n'], [msg('a')]],
    ['BOM split into its own chunk', ['\uFEFF', 'data: a\n\n'], [msg('a')]],
    ['BOM only at the start', ['data: a\n\n\uFEFFdata: b\n\n'], [msg('a')]],
    [
      'event with no data is not dispatched',
      ['event: ready\n\ndata: x\n\n'],
      [msg('x')],
    ],
    [
      'event type does not carry over',
      ['event: a\ndata: 1\n\ndata: 2\n\n'],
      [msg('1', { event: 'a' }), msg('2')],
    ],
    [
      'id carries over to later events',
      ['id: 7\ndata: 1\n\ndata: 2\n\n'],
      [msg('1', { id: '7' }), msg('2', { id: '7' })],
    ],
    [
      'id with NUL is ignored',
      ['id: 1\ndata: a\n\nid: x\0y\ndata: b\n\n'],
      [msg('a', { id: '1' }), msg('b', { id: '1' })],
    ],
    [
      'empty id resets it',
      ['id: 1\ndata: a\n\nid\ndata: b\n\n'],
      [msg('a', { id: '1' }), msg('b', { id: '' })],
    ],
    [
      'unknown fields and retry ignored',
      ['retry: 10\nfoo: bar\ndata: a\n\n'],
      [msg('a')],
    ],
    ['field without colon', ['data\ndata\n\n'], [msg('\n')]],
    [
      'partial event at the end is held back',
      ['data: a\n\ndata: b\n'],
      [msg('a')],
    ],
    [
      'StreamHub framing',
      ['id: 1\nevent: upsert\ndata: {"type":"upsert"}\n\n: ping\n\n'],
      [msg('{"type":"upsert"}', { event: 'upsert', id: '1' })],
    ],
  ])('%s', (_name, chunks, expected) => {
    expect(parse(chunks)).toEqual(expected);
  });

  it('parses the same events whatever the chunking', () => {
    const text =
      'id: 1\r\nevent: ready\r\ndata: {"a":1}\r\n\r\n: ping\r\n\r\ndata: x\ndata: y\r\r';
    const whole = parse([text]);
    expect(whole).toHaveLength(2);
    for (let size = 1; size < text.length; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size)
        chunks.push(text.slice(i, i + size));
      expect(parse(chunks)).toEqual(whole);
    }
  });
});
