import { jsonNestingDepth } from './jsonDepth';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('jsonNestingDepth', () => {
  it('is 0 for top-level scalars', () => {
    for (const text of ['1', '"x"', 'true', 'null', '', '  -2.5e3 ']) {
      expect(jsonNestingDepth(text)).toBe(0);
    }
  });

  it('counts arrays and objects alike', () => {
    expect(jsonNestingDepth('[]')).toBe(1);
    expect(jsonNestingDepth('{}')).toBe(1);
    expect(jsonNestingDepth('{"a":[{"b":[1]}]}')).toBe(4);
    expect(jsonNestingDepth(nested(64))).toBe(64);
  });

  it('reports the deepest point, not the last one', () => {
    expect(jsonNestingDepth('[[[[1]]], [2], 3]')).toBe(4);
    expect(jsonNestingDepth('[{"a":{}}, {}, [], {"b":[[[[]]]]}]')).toBe(6);
  });

  it('ignores brackets inside strings', () => {
    expect(jsonNestingDepth('{"a":"[[[[{{{{"}')).toBe(1);
    expect(jsonNestingDepth('["]]]]", ["}}"]]')).toBe(2);
    expect(jsonNestingDepth('{"[": {"{": "]"}}')).toBe(2);
  });

  it('honours escaped quotes and escaped backslashes in strings', () => {
    // "a\"[[" is one string: the escaped quote does not end it.
    expect(jsonNestingDepth(String.raw`["a\"[[", 1]`)).toBe(1);
    // "a\\" ends after the escaped backslash, so the brackets after it count.
    expect(jsonNestingDepth(String.raw`["a\\", [[1]]]`)).toBe(3);
    expect(jsonNestingDepth(String.raw`["\\\"[", [1]]`)).toBe(2);
    expect(jsonNestingDepth(String.raw`["\u005b\u007b", 2]`)).toBe(1);
  });

  it('copes with malformed input without throwing', () => {
    expect(jsonNestingDepth(']]]][[')).toBe(2);
    expect(jsonNestingDepth('["unterminated [[[[')).toBe(1);
    expect(jsonNestingDepth('[[[')).toBe(3);
  });

  it('stops as soon as the depth passes the limit', () => {
    expect(jsonNestingDepth(nested(64), 64)).toBe(64);
    expect(jsonNestingDepth(nested(65), 64)).toBe(65);
    expect(jsonNestingDepth(nested(1_000_000), 64)).toBe(65);
  });

  it('scans a very deep text without recursion', () => {
    expect(jsonNestingDepth(nested(1_000_000))).toBe(1_000_000);
  });
});
