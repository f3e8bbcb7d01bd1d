import { parseTrainingQueue } from './annotations';
import { parseImageReference } from './image';

describe('parseTrainingQueue', () => {
  it.each([
    ['ml-platform', { queue: 'ml-platform' }],
    ['ml/gpu-queue', { namespace: 'ml', queue: 'gpu-queue' }],
  ])('parses %s', (value, expected) => {
    expect(parseTrainingQueue(value)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', /is empty/],
    ['ML', /'ML' is not a DNS label/],
    ['a/b/c', /more than one \//],
    ['/q', /'' is not a DNS label/],
  ])('refuses %j', (value, message) => {
    const r = parseTrainingQueue(value);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(message);
  });
});

describe('parseImageReference', () => {
  const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
  it.each([
    ['pytorch/pytorch:2.7.1', { path: 'pytorch/pytorch', tag: '2.7.1' }],
    [
      'registry.example:5000/ml/train:1',
      { domain: 'registry.example:5000', path: 'ml/train', tag: '1' },
    ],
    [
      `localhost/train@${digest}`,
      { domain: 'localhost', path: 'train', digest },
    ],
    [
      `r.io/a/b:v1@${digest}`,
      { domain: 'r.io', path: 'a/b', tag: 'v1', digest },
    ],
    ['ubuntu', { path: 'ubuntu' }],
  ])('parses %s', (ref, expected) => {
    expect(parseImageReference(ref)).toEqual(expected);
  });

  it.each([
    'Upper/case:1',
    'a b',
    'r.io/a:b:c',
    'r.io/a@sha256:short',
    'r.io//a',
    ':tag',
  ])('refuses %s', ref => {
    expect(parseImageReference(ref)).toBeUndefined();
  });
});
