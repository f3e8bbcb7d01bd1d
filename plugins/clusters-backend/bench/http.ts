/* Benchmark helpers (not a test): an HTTP request that reports the bytes on the wire and the
 * decoded JSON, and a child-process worker spoken to by messages. */
import { ChildProcess } from 'node:child_process';
import http from 'node:http';
import zlib from 'node:zlib';

export type Answer = {
  status: number;
  /** Bytes received (compressed when the server compressed). */
  bytes: number;
  encoding?: string;
  body: any;
  ms: number;
};

/** GET (or POST `json`), accepting gzip / br like a browser; decodes and parses the answer. */
export function request(
  agent: http.Agent,
  url: string,
  headers: Record<string, string>,
  json?: unknown,
): Promise<Answer> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const body = json === undefined ? undefined : JSON.stringify(json);
    const req = http.request(
      url,
      {
        agent,
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          'accept-encoding': 'br, gzip',
          ...headers,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const encoding = res.headers['content-encoding'];
          let text: Buffer = raw;
          if (encoding === 'gzip') text = zlib.gunzipSync(raw);
          else if (encoding === 'br') text = zlib.brotliDecompressSync(raw);
          try {
            resolve({
              status: res.statusCode ?? 0,
              bytes: raw.length,
              encoding,
              body: JSON.parse(text.toString('utf8')),
              ms: Number(process.hrtime.bigint() - started) / 1e6,
            });
          } catch (e) {
            reject(e);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A forked worker answering messages `{ ..., id }` with `{ ..., id }`. */
export class Worker {
  private seq = 0;
  private readonly waiting = new Map<number, (msg: any) => void>();
  ready: Promise<any>;
  constructor(readonly child: ChildProcess) {
    this.ready = new Promise((resolve, reject) => {
      child.on('message', (msg: any) => {
        if (msg.type === 'ready') resolve(msg);
        else this.waiting.get(msg.id)?.(msg);
      });
      child.on('exit', code => reject(new Error(`worker exited ${code}`)));
    });
  }
  call(msg: object): Promise<any> {
    const id = ++this.seq;
    return new Promise(resolve => {
      this.waiting.set(id, resolve);
      this.child.send({ ...msg, id });
    });
  }
}

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))];
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
