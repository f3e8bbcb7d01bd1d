import type {
  RouteResponse,
  RouteSpec,
} from '@careplane/plugin-clusters-common';
import type { Response } from 'express';
import { compressAnswer, negotiateEncoding } from './compressAnswer';
import { serializeAnswerChunks } from './serialize';

/**
 * Large read answers: the body `res.json` would send, built from the memoised JSON of cached
 * objects. No ETag (hashing ~300 KiB per request cost more than the rest of the request; clients
 * follow changes over the SSE stream, not by revalidating). `body` must be the answer the contract
 * declares for `_route`. Compressed (br, else gzip) when the client accepts it: see
 * `compressAnswer.ts`.
 * @internal
 */
export function sendAnswer<R extends RouteSpec>(
  res: Response,
  _route: R,
  body: RouteResponse<R>,
): void {
  const chunks = serializeAnswerChunks(body);
  res.status(200);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Vary', 'Accept-Encoding');
  const encoding = negotiateEncoding(res.req?.headers['accept-encoding']);
  const compressed =
    encoding &&
    compressAnswer(
      chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
      encoding,
    );
  if (encoding && compressed) {
    res.setHeader('Content-Encoding', encoding);
    res.setHeader('Content-Length', compressed.length);
    res.end(compressed);
    return;
  }
  res.setHeader(
    'Content-Length',
    chunks.reduce((n, c) => n + c.length, 0),
  );
  // corked, the chunks leave in one writev (end() uncorks); no copy of the whole answer
  res.cork();
  for (const chunk of chunks) res.write(chunk);
  res.end();
}
