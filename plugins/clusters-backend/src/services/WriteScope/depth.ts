import { InputError } from '@backstage/errors';

/** Nesting deeper than this is refused before anything recursive (hashing, patch checks) runs. */
export const MAX_BODY_DEPTH = 64;

/**
 * Refuses a value nested deeper than `max` levels of objects and arrays. Iterative, so a
 * pathological value cannot overflow the stack here either.
 * @internal
 */
export function assertDepth(
  value: unknown,
  what: string,
  max = MAX_BODY_DEPTH,
): void {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) {
      throw new InputError(`${what} is nested deeper than ${max} levels`);
    }
    for (const child of Object.values(node as object)) {
      if (child !== null && typeof child === 'object') {
        stack.push([child, depth + 1]);
      }
    }
  }
}
