import {
  markImmutable,
  serializeAnswer,
  serializeAnswerChunks,
} from './serialize';

const json = (value: unknown) => serializeAnswer(value).toString('utf8');

describe('serializeAnswer', () => {
  it('produces exactly what JSON.stringify produces', () => {
    const item = markImmutable({
      a: 1,
      b: [1, 'x', null, undefined],
      c: { d: undefined },
      e: 'ünïcødé ✓',
    });
    const value = {
      s: 'q"uote\n',
      n: 1.5,
      t: true,
      u: undefined,
      f: () => 1,
      nul: null,
      arr: [undefined, item, () => 1, { x: [] }, {}],
      date: new Date(0),
      items: [item, item],
      ü: 'ß',
    };
    expect(json(value)).toBe(JSON.stringify(value));
    expect(json([1, undefined])).toBe('[1,null]');
    expect(json(undefined)).toBe('null');
    expect(json(item)).toBe(JSON.stringify(item));
    expect(Buffer.concat(serializeAnswerChunks(value)).toString()).toBe(
      JSON.stringify(value),
    );
  });

  it('memoises only objects marked immutable', () => {
    const cached = markImmutable({ v: 1 });
    const live = { v: 1 };
    expect(json([cached, live])).toBe('[{"v":1},{"v":1}]');
    cached.v = 2; // never done to cached objects; shows that the memo is used
    live.v = 2;
    expect(json([cached, live])).toBe('[{"v":1},{"v":2}]');
  });
});
