/**
 * @jest-environment node
 */
import { readSseEvents } from './readSse';

function bodyOf(chunks: string[]) {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      chunks.forEach(c => controller.enqueue(encoder.encode(c)));
      controller.close();
    },
  });
}

async function collect(chunks: string[]) {
  const out = [];
  for await (const m of readSseEvents(bodyOf(chunks))) out.push(m);
  return out;
}

describe('readSseEvents', () => {
  it('reads events split across chunks and skips heartbeats', async () => {
    await expect(
      collect([
        ': ping\n\nid: 1\nevent: rea',
        'dy\ndata: {"a":1}\n',
        '\n: ping\n\n',
      ]),
    ).resolves.toEqual([{ event: 'ready', data: '{"a":1}', id: '1' }]);
  });

  it('joins multi-line data and accepts CRLF split between chunks', async () => {
    await expect(
      collect(['data: one\r', '\ndata: two\r\n\r\n', 'data:three\n\n']),
    ).resolves.toEqual([
      { event: 'message', data: 'one\ntwo', id: undefined },
      { event: 'message', data: 'three', id: undefined },
    ]);
  });

  it('reads text chunks and reports every chunk, heartbeats included', async () => {
    async function* text() {
      yield ': ping\n\n';
      yield 'data: x\n\n';
    }
    let activity = 0;
    const out = [];
    for await (const m of readSseEvents(text(), () => activity++)) out.push(m);
    expect(out).toEqual([{ event: 'message', data: 'x', id: undefined }]);
    expect(activity).toBe(2);
  });

  it('decodes a UTF-8 character split across byte chunks and drops the BOM', async () => {
    const bytes = new TextEncoder().encode('\uFEFFdata: héllo\n\n');
    const at = bytes.indexOf(0xc3) + 1; // inside "é"
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, at));
        controller.enqueue(bytes.slice(at));
        controller.close();
      },
    });
    const out = [];
    for await (const m of readSseEvents(body)) out.push(m);
    expect(out).toEqual([{ event: 'message', data: 'héllo', id: undefined }]);
  });
});
