import zlib from 'node:zlib';
import { compressAnswer, negotiateEncoding } from './compressAnswer';

describe('negotiateEncoding', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['identity', undefined],
    ['gzip, deflate', 'gzip'],
    ['gzip, deflate, br, zstd', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', undefined],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    [['gzip', 'br'], 'br'],
  ])('%j -> %s', (header, expected) => {
    expect(negotiateEncoding(header as string | string[] | undefined)).toBe(
      expected,
    );
  });
});

describe('compressAnswer', () => {
  const json = Buffer.from(
    JSON.stringify({
      items: Array.from({ length: 200 }, (_, i) => ({ name: `pod-${i}` })),
    }),
  );

  it('decodes to the same bytes, smaller', () => {
    const br = compressAnswer(json, 'br')!;
    const gzip = compressAnswer(json, 'gzip')!;
    expect(zlib.brotliDecompressSync(br).equals(json)).toBe(true);
    expect(zlib.gunzipSync(gzip).equals(json)).toBe(true);
    expect(br.length).toBeLessThan(json.length / 4);
    expect(gzip.length).toBeLessThan(json.length / 4);
  });

  it('leaves small answers alone', () => {
    expect(compressAnswer(Buffer.from('{"items":[]}'), 'br')).toBeUndefined();
  });
});
