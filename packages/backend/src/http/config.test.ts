import { ConfigReader } from '@backstage/config';
import { parseByteSize, readJsonBodyGuardOptions } from './config';

const read = (careplane?: object) =>
  readJsonBodyGuardOptions(
    new ConfigReader(careplane ? { backend: { careplane } } : {}),
  );

describe('parseByteSize', () => {
  it('reads sizes as body-parser does, 1 kb = 1024 bytes', () => {
    expect(parseByteSize('100')).toBe(100);
    expect(parseByteSize('100b')).toBe(100);
    expect(parseByteSize('1kb')).toBe(1024);
    expect(parseByteSize('5mb')).toBe(5 * 1024 * 1024);
    expect(parseByteSize('10MB')).toBe(10 * 1024 * 1024);
    expect(parseByteSize('1 gb')).toBe(1024 ** 3);
    expect(parseByteSize('1.5kb')).toBe(1536);
    expect(parseByteSize(4096)).toBe(4096);
  });

  it('refuses what is not a positive size', () => {
    for (const value of ['', 'mb', '-1mb', '0', '5 MiB', '1tb', 0, -5, 1.5]) {
      expect(() => parseByteSize(value)).toThrow(/Invalid byte size/);
    }
  });
});

describe('readJsonBodyGuardOptions', () => {
  it('defaults to 10mb and 64 levels', () => {
    expect(read()).toEqual({ maxBytes: 10 * 1024 * 1024, maxDepth: 64 });
  });

  it('reads backend.careplane.maxJsonBody and maxJsonDepth', () => {
    expect(read({ maxJsonBody: '512kb', maxJsonDepth: 32 })).toEqual({
      maxBytes: 512 * 1024,
      maxDepth: 32,
    });
    expect(read({ maxJsonBody: 2048 })).toEqual({
      maxBytes: 2048,
      maxDepth: 64,
    });
  });

  it('names the key that is wrong', () => {
    expect(() => read({ maxJsonBody: 'lots' })).toThrow(
      /backend\.careplane\.maxJsonBody: Invalid byte size "lots"/,
    );
    expect(() => read({ maxJsonBody: true })).toThrow(
      /backend\.careplane\.maxJsonBody/,
    );
    expect(() => read({ maxJsonDepth: 0 })).toThrow(
      /backend\.careplane\.maxJsonDepth/,
    );
    expect(() => read({ maxJsonDepth: 2.5 })).toThrow(
      /backend\.careplane\.maxJsonDepth/,
    );
  });
});
