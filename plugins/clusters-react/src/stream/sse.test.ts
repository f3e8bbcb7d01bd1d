/**
 * @jest-environment node
 */
import { readSseMessages } from './sse';

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
  for await (const m of readSseMessages(bodyOf(chunks))) out.push(m);
  return out;
}

describe('readSseMessages', () => {
  it('reads events split across chunks and skips heartbeats', async () => {
    await expect(
      collect([': ping\n\nid: 1\nevent: rea', 'dy\ndata: {"a":1}\n', '\n: ping\n\n']),
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
});
