/*
 * Compressed answers (issue 15): the large read answers are sent br or gzip when the client
 * accepts it, and decode to the same JSON as the uncompressed answer.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import {
  as,
  backend,
  KENJI,
  useBackendPerTest,
} from './__testUtils__/pluginWorld';

const PATH =
  '/api/clusters/v1/entities/component/default/video-consultation/workloads';

function get(acceptEncoding: string) {
  const { port } = backend.server.address() as { port: number };
  return new Promise<{ encoding?: string; vary?: string; raw: Buffer }>(
    (resolve, reject) => {
      http
        .get(
          `http://127.0.0.1:${port}${PATH}`,
          { headers: { ...as(KENJI), 'accept-encoding': acceptEncoding } },
          res => {
            const chunks: Buffer[] = [];
            res.on('data', c => chunks.push(c));
            res.on('end', () =>
              resolve({
                encoding: res.headers['content-encoding'],
                vary: res.headers.vary,
                raw: Buffer.concat(chunks),
              }),
            );
            res.on('error', reject);
          },
        )
        .on('error', reject);
    },
  );
}

/** The answer without the per-request timestamps of its freshness. */
function withoutClock(json: string) {
  return JSON.parse(json, (key, value) =>
    key === 'syncedAt' || key === 'ageMs' ? undefined : value,
  );
}

describe('compressed answers', () => {
  useBackendPerTest();

  it('decode to the same JSON as the uncompressed answer', async () => {
    const plain = await get('identity');
    expect(plain.encoding).toBeUndefined();
    const answer = withoutClock(plain.raw.toString('utf8'));
    expect(answer.clusters[0].pods.length).toBeGreaterThan(0);

    const br = await get('gzip, deflate, br');
    expect(br.encoding).toBe('br');
    expect(br.vary).toMatch(/Accept-Encoding/i);
    expect(br.raw.length).toBeLessThan(plain.raw.length);
    expect(
      withoutClock(zlib.brotliDecompressSync(br.raw).toString('utf8')),
    ).toEqual(answer);

    const gzip = await get('gzip');
    expect(gzip.encoding).toBe('gzip');
    expect(gzip.raw.length).toBeLessThan(plain.raw.length);
    expect(withoutClock(zlib.gunzipSync(gzip.raw).toString('utf8'))).toEqual(
      answer,
    );
  });
});
