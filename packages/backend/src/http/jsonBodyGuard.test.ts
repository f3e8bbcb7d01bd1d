import http, { IncomingMessage, ServerResponse } from 'node:http';
import net, { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import request from 'supertest';
import { createJsonBodyGuard } from './jsonBodyGuard';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** What the route behind the guard saw: the bytes it read from the request stream. */
async function readStream(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Sends bytes as they are (supertest would serialise a Buffer as JSON). */
async function postBytes(
  server: http.Server,
  headers: Record<string, string>,
  body: Buffer | string[],
): Promise<{ status: number; body: any }> {
  if (!server.listening) {
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  }
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', headers },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            body: JSON.parse(Buffer.concat(chunks).toString()),
          }),
        );
      },
    );
    req.on('error', reject);
    if (Array.isArray(body)) {
      // Written piece by piece, without a length: chunked transfer encoding.
      for (const piece of body) {
        req.write(piece);
      }
      req.end();
    } else {
      req.setHeader('content-length', body.length);
      req.end(body);
    }
  });
}

/** Writes a raw HTTP/1.1 request in separate packets, to control what arrives when. */
async function sendPackets(
  server: http.Server,
  ...packets: string[]
): Promise<{ status: number; body: any }> {
  if (!server.listening) {
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  }
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    let response = '';
    const socket = net.connect(port, '127.0.0.1', async () => {
      for (const packet of packets) {
        socket.write(packet);
        await new Promise(r => setTimeout(r, 20));
      }
    });
    socket.on('data', data => {
      response += data;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const [statusLine, body] = response.split('\r\n\r\n');
      try {
        resolve({
          status: Number(statusLine.split(' ')[1]),
          body: JSON.parse(body),
        });
      } catch (error) {
        reject(error);
      }
    });
  });
}

const head = (headers: string) =>
  `POST / HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n${headers}Connection: close\r\n\r\n`;

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

// The guard in front of a route that reads the raw stream, as a proxy or body-parser does, and
// answers with what it read.
function createServer(maxBytes = 1024 * 1024, maxDepth = 64) {
  const guard = createJsonBodyGuard({ maxBytes, maxDepth });
  return http.createServer((req: IncomingMessage, res: ServerResponse) => {
    guard(req, res, error => {
      if (error) {
        const { name, message } = error as Error;
        const status = (error as { statusCode?: number }).statusCode ?? 400;
        sendJson(res, status, { name, message });
      } else if (!req.readable) {
        // What body-parser answers when it gets a stream that has ended already.
        sendJson(res, 500, { message: 'stream is not readable' });
      } else {
        readStream(req).then(body =>
          sendJson(res, 200, {
            length: body.length,
            text: body.toString('utf8'),
          }),
        );
      }
    });
  });
}

describe('createJsonBodyGuard', () => {
  let server: http.Server;
  beforeEach(() => {
    server = createServer();
  });
  afterEach(() => {
    server.close();
  });

  const post = (type = 'application/json') =>
    request(server).post('/').set('content-type', type);

  it('hands the exact bytes of a normal body on', async () => {
    const body = '{"a": [1, {"b": "[[["}], "c": "\\u00e9\\"]"}';
    const res = await post().send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ length: body.length, text: body });
  });

  it('hands a large body on intact, whatever its chunks', async () => {
    const body = JSON.stringify({ items: Array(50_000).fill({ x: 'y' }) });
    const res = await post().send(body);
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(body.length);
    expect(res.body.text).toBe(body);
  });

  it('accepts exactly 64 levels and refuses 65', async () => {
    expect((await post().send(nested(64))).status).toBe(200);
    const res = await post().send(nested(65));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      name: 'InputError',
      message: 'Request body is nested deeper than 64 levels',
    });
  });

  it('refuses a body nested 10,000 levels deep', async () => {
    const res = await post().send(nested(10_000));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      'Request body is nested deeper than 64 levels',
    );
  });

  it('checks every JSON media type', async () => {
    for (const type of [
      'application/json; charset=utf-8',
      'application/merge-patch+json',
      'application/json-patch+json',
      'application/vnd.api+json',
      'APPLICATION/JSON',
    ]) {
      expect((await post(type).send(nested(65))).status).toBe(400);
    }
  });

  it('leaves other media types alone', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/octet-stream',
      'application/jsonl',
    ]) {
      const res = await post(type).send(nested(100));
      expect(res.status).toBe(200);
      expect(res.body.length).toBe(200);
    }
  });

  it('counts brackets in strings for nothing', async () => {
    const body = JSON.stringify({ s: '['.repeat(1000) });
    expect((await post().send(body)).status).toBe(200);
  });

  it('refuses a body larger than the limit, by its declared length', async () => {
    server.close();
    server = createServer(1000);
    const res = await post().send(JSON.stringify({ s: 'x'.repeat(2000) }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      name: 'PayloadTooLargeError',
      message: 'Request body is larger than 1000 bytes',
    });
  });

  it('refuses a chunked body once it passes the limit', async () => {
    server.close();
    server = createServer(1000);
    const res = await postBytes(
      server,
      { 'content-type': 'application/json' },
      Array(100).fill(`"${'x'.repeat(98)}"`),
    );
    expect(res.status).toBe(413);
  });

  it('answers 413 to a large chunked body and drops the rest of it', async () => {
    server.close();
    server = createServer(64 * 1024);
    const piece = `"${'x'.repeat(64 * 1024)}"`;
    const res = await postBytes(
      server,
      { 'content-type': 'application/json' },
      Array(80).fill(piece),
    );
    expect(res.status).toBe(413);
  });

  it('hands a chunked body under the limit on intact', async () => {
    const pieces = ['{"a": ', '[[1], ', '"', '[[[', '"]', '}'];
    const res = await postBytes(
      server,
      { 'content-type': 'application/json' },
      pieces,
    );
    expect(res.status).toBe(200);
    expect(res.body.text).toBe(pieces.join(''));
  });

  it('leaves an empty body readable', async () => {
    const empty = { status: 200, body: { length: 0, text: '' } };
    expect(await sendPackets(server, head('Content-Length: 0\r\n'))).toEqual(
      empty,
    );
    const chunked = head('Transfer-Encoding: chunked\r\n');
    expect(await sendPackets(server, `${chunked}0\r\n\r\n`)).toEqual(empty);
    expect(await sendPackets(server, chunked, '0\r\n\r\n')).toEqual(empty);
  });

  it('puts back a body that arrives in pieces', async () => {
    const chunked = head('Transfer-Encoding: chunked\r\n');
    const res = await sendPackets(
      server,
      chunked,
      '2\r\n[[\r\n',
      '2\r\n]]\r\n',
      '0\r\n\r\n',
    );
    expect(res).toEqual({ status: 200, body: { length: 4, text: '[[]]' } });
    expect(
      await sendPackets(server, head('Content-Length: 4\r\n'), '[', '1]', ' '),
    ).toEqual({ status: 200, body: { length: 4, text: '[1] ' } });
    expect(
      await sendPackets(
        server,
        head('Content-Length: 130\r\n'),
        '['.repeat(65),
        ']'.repeat(65),
      ),
    ).toEqual(expect.objectContaining({ status: 400 }));
  });

  it('lets requests without a body through', async () => {
    const res = await request(server)
      .get('/')
      .set('content-type', 'application/json');
    expect(res.status).toBe(200);
  });

  it('scans gzip, deflate and brotli bodies once decompressed, and hands on the compressed bytes', async () => {
    for (const [encoding, compress] of [
      ['gzip', zlib.gzipSync],
      ['deflate', zlib.deflateSync],
      ['br', zlib.brotliCompressSync],
    ] as const) {
      const headers = {
        'content-type': 'application/json',
        'content-encoding': encoding,
      };
      const deep = await postBytes(server, headers, compress(nested(10_000)));
      expect(deep.status).toBe(400);

      const small = compress('{"a": [1]}');
      const ok = await postBytes(server, headers, small);
      expect(ok.status).toBe(200);
      expect(ok.body.length).toBe(small.length);
    }
  });

  it('refuses a compressed body that is too large once decompressed', async () => {
    server.close();
    server = createServer(10_000);
    const bomb = zlib.gzipSync(JSON.stringify({ s: 'x'.repeat(100_000) }));
    expect(bomb.length).toBeLessThan(10_000);
    const res = await postBytes(
      server,
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      bomb,
    );
    expect(res.status).toBe(413);
    expect(res.body.message).toBe(
      'Request body is larger than 10000 bytes once decompressed',
    );
  });

  it('refuses a body that does not decompress', async () => {
    const res = await postBytes(
      server,
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      Buffer.from('not gzip'),
    );
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(
      /^Request body could not be decompressed \(gzip\)/,
    );
  });

  it('passes on bodies in an encoding it cannot decode', async () => {
    const res = await postBytes(
      server,
      { 'content-type': 'application/json', 'content-encoding': 'zstd' },
      Buffer.from(nested(100)),
    );
    expect(res.status).toBe(200);
  });

  it('decodes the declared charset', async () => {
    const res = await postBytes(
      server,
      { 'content-type': 'application/json; charset=utf-16le' },
      Buffer.from(nested(65), 'utf16le'),
    );
    expect(res.status).toBe(400);
  });
});
