import { InputError } from '@backstage/errors';
import { assertDepth, MAX_BODY_DEPTH } from './depth';

type Wrap = 'object' | 'array' | 'mixed';

/**
 * A value `levels` objects/arrays deep, built in a loop so that building it cannot overflow the
 * stack either.
 */
function nested(levels: number, wrap: Wrap = 'object'): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) {
    const asArray = wrap === 'array' || (wrap === 'mixed' && i % 2 === 1);
    value = asArray ? [value] : { child: value };
  }
  return value;
}

describe('assertDepth', () => {
  it('allows 64 levels by default', () => {
    expect(MAX_BODY_DEPTH).toBe(64);
  });

  it.each<[string, unknown]>([
    ['a string', 'x'],
    ['a number', 1],
    ['a boolean', true],
    ['null', null],
    ['undefined', undefined],
    ['an empty object', {}],
    ['an empty array', []],
    ['a flat manifest', { kind: 'Deployment', metadata: { name: 'web' } }],
  ])('accepts %s', (_what, value) => {
    expect(() => assertDepth(value, 'body')).not.toThrow();
  });

  it.each<[Wrap]>([['object'], ['array'], ['mixed']])(
    'accepts 64 levels of %s nesting',
    wrap => {
      expect(() => assertDepth(nested(64, wrap), 'body')).not.toThrow();
    },
  );

  it.each<[Wrap]>([['object'], ['array'], ['mixed']])(
    'refuses 65 levels of %s nesting',
    wrap => {
      expect(() => assertDepth(nested(65, wrap), 'body')).toThrow(
        new InputError('body is nested deeper than 64 levels'),
      );
    },
  );

  it('refuses 10,000 levels with an InputError, not a stack overflow', () => {
    const error = (() => {
      try {
        assertDepth(nested(10_000, 'mixed'), 'patch');
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      'patch is nested deeper than 64 levels',
    );
  });

  it('finds a deep branch next to shallow ones', () => {
    const value = {
      spec: { replicas: 1, selector: {} },
      status: [{ a: 1 }, { deep: nested(70, 'mixed') }],
    };
    expect(() => assertDepth(value, 'manifest')).toThrow(
      'manifest is nested deeper than 64 levels',
    );
  });

  it('does not count scalar leaves as a level', () => {
    // 64 containers whose innermost one holds scalars of every type
    let value: unknown = { s: 'x', n: 1, b: false, z: null };
    for (let i = 1; i < 64; i++) value = [value];
    expect(() => assertDepth(value, 'body')).not.toThrow();
  });

  it('takes another limit and names it', () => {
    expect(() => assertDepth(nested(3), 'policies[0]', 3)).not.toThrow();
    expect(() => assertDepth(nested(4), 'policies[0]', 3)).toThrow(
      'policies[0] is nested deeper than 3 levels',
    );
  });
});
