import { InputError } from '@backstage/errors';
import { assertNamespaceName, assertObjectName } from './names';

/** The error a call throws, so its class and message can both be checked. */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to throw');
}

const invalid: Array<[string, unknown]> = [
  ['parent directory', '..'],
  ['current directory', '.'],
  ['a slash', 'a/b'],
  ['URL-encoded dots', '%2e%2e'],
  ['an upper-case letter', 'A'],
  ['a leading dash', '-a'],
  ['a trailing dash', 'a-'],
  ['the empty string', ''],
  ['a number', 42],
  ['null', null],
  ['undefined', undefined],
  ['an object', { name: 'a' }],
  ['an array', ['a']],
];

describe('assertNamespaceName', () => {
  it.each([
    ['one letter', 'a'],
    ['letters and dashes', 'video-consultation'],
    ['letters and digits', 'team1'],
    ['a leading digit', '0abc'],
    ['63 characters', 'a'.repeat(63)],
  ])('accepts %s', (_what, name) => {
    expect(assertNamespaceName(name)).toBe(name);
  });

  it.each([
    ...invalid,
    ['a dot (a label, not a subdomain)', 'a.b'],
    ['64 characters', 'a'.repeat(64)],
  ])('refuses %s', (_what, value) => {
    const error = errorOf(() => assertNamespaceName(value));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /is not a valid Kubernetes namespace name \(a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters\)/,
    );
  });

  it.each([
    ['..', 'namespace ".."'],
    ['a/b', 'namespace "a/b"'],
    ['A', 'namespace "A"'],
    [42, 'namespace "42"'],
    [null, 'namespace "null"'],
    [{ a: 1 }, 'namespace "{\\"a\\":1}"'],
  ])('quotes %p in the message', (value, shown) => {
    expect(() => assertNamespaceName(value)).toThrow(shown);
  });

  it.each([
    ['a newline', 'a\nkube-system', 'namespace "a\\nkube-system"'],
    ['a carriage return', 'a\rb', 'namespace "a\\rb"'],
    ['a tab', 'a\tb', 'namespace "a\\tb"'],
  ])('shows %s escaped, on one line', (_what, value, shown) => {
    const { message } = errorOf(() => assertNamespaceName(value));
    expect(message).not.toMatch(/[\n\r\t]/);
    expect(message).toContain(shown);
  });

  it('shortens a long value in the message', () => {
    const { message } = errorOf(() => assertNamespaceName('a'.repeat(500)));
    expect(message).toContain(`namespace "${'a'.repeat(80)}…"`);
    expect(message).not.toContain('a'.repeat(81));
  });
});

describe('assertObjectName', () => {
  it.each([
    ['one letter', 'a'],
    ['a generated name', 'web-7d9f8b6c5d'],
    ['dotted parts', 'my.config.v2'],
    ['digits and dashes inside parts', '0-a.b-1'],
    ['253 characters', 'a'.repeat(253)],
    ['two 63-character parts', `${'a'.repeat(63)}.${'b'.repeat(63)}`],
  ])('accepts %s', (_what, name) => {
    expect(assertObjectName(name, 'Deployment')).toBe(name);
  });

  it.each([
    ...invalid,
    ['a leading dot', '.a'],
    ['a trailing dot', 'a.'],
    ['two dots in a row', 'a..b'],
    ['a dash before a dot', 'a-.b'],
    ['a dash after a dot', 'a.-b'],
    ['a backslash', 'a\\b'],
    ['a query string', 'a?b=c'],
    ['254 characters', 'a'.repeat(254)],
  ])('refuses %s', (_what, value) => {
    const error = errorOf(() => assertObjectName(value, 'Deployment'));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /^Deployment name .* is not a valid Kubernetes object name \(a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters\)$/,
    );
  });

  it('names the kind and quotes the value', () => {
    expect(() => assertObjectName('../secrets', 'ConfigMap')).toThrow(
      'ConfigMap name "../secrets" is not a valid Kubernetes object name',
    );
    expect(() => assertObjectName(7, 'Service')).toThrow('Service name "7"');
    expect(() => assertObjectName(null, 'Service')).toThrow(
      'Service name "null"',
    );
  });

  it('shows a newline in the value escaped, on one line', () => {
    const { message } = errorOf(() =>
      assertObjectName('web\nINFO all good', 'Deployment'),
    );
    expect(message).not.toContain('\n');
    expect(message).toContain('Deployment name "web\\nINFO all good"');
  });
});
