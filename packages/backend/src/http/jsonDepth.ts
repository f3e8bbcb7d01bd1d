const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]
const OPEN_BRACE = 0x7b; // {
const CLOSE_BRACE = 0x7d; // }

/**
 * How deeply the arrays and objects of a JSON text nest: 0 for a top-level scalar, 1 for `{}` or
 * `[1, 2]`, 2 for `[[1]]`, and so on.
 *
 * One loop over the characters, with no recursion and no parsing, so that it is safe on any input:
 * brackets inside strings (escapes included) do not count. It stops as soon as the depth passes
 * `stopAbove` and returns that depth. On malformed JSON the result is an upper bound of what a
 * parser could build, which is all a guard needs.
 *
 * @internal
 */
export function jsonNestingDepth(
  text: string,
  stopAbove: number = Infinity,
): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) {
        i++; // the escaped character, whatever it is, cannot end the string
      } else if (c === QUOTE) {
        inString = false;
      }
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) {
          return deepest;
        }
      }
    } else if ((c === CLOSE_BRACKET || c === CLOSE_BRACE) && depth > 0) {
      depth--;
    }
  }
  return deepest;
}
