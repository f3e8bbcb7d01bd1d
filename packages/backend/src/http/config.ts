import { Config } from '@backstage/config';

/**
 * The limits of the JSON body guard, read from `backend.careplane.*`.
 * @internal
 */
export interface JsonBodyGuardOptions {
  /** Largest JSON request body, in bytes after decompression. */
  maxBytes: number;
  /** Deepest nesting of arrays and objects in a JSON request body. */
  maxDepth: number;
}

/**
 * The default size limit. It is the largest limit of any plugin of the backend (the scaffolder
 * takes dry-run templates of up to 10 MB), so that the guard never refuses a body that a plugin
 * would accept; each plugin still applies its own, smaller limit after the guard.
 */
export const DEFAULT_MAX_JSON_BODY = '10mb';
/** The default depth limit. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
};

/**
 * Parses a byte size as express's body-parser does (the `bytes` package): a whole number of bytes,
 * or a number followed by `b`, `kb`, `mb` or `gb` in any case, with 1 kb = 1024 bytes.
 *
 * @internal
 */
export function parseByteSize(value: string | number): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value > 0) {
      return value;
    }
  } else {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value);
    if (match) {
      const bytes = Math.floor(
        Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()],
      );
      if (bytes > 0) {
        return bytes;
      }
    }
  }
  throw new Error(
    `Invalid byte size ${JSON.stringify(
      value,
    )}; expected a positive number of bytes or a size such as '512kb' or '10mb'`,
  );
}

/**
 * Reads and validates `backend.careplane.maxJsonBody` and `backend.careplane.maxJsonDepth`.
 * @internal
 */
export function readJsonBodyGuardOptions(config: Config): JsonBodyGuardOptions {
  const key = 'backend.careplane.maxJsonBody';
  const size = config.getOptional(key) ?? DEFAULT_MAX_JSON_BODY;
  if (typeof size !== 'string' && typeof size !== 'number') {
    throw new Error(`Invalid config at ${key}: expected a string or a number`);
  }
  let maxBytes: number;
  try {
    maxBytes = parseByteSize(size);
  } catch (error) {
    throw new Error(`Invalid config at ${key}: ${(error as Error).message}`);
  }

  const maxDepth =
    config.getOptionalNumber('backend.careplane.maxJsonDepth') ??
    DEFAULT_MAX_JSON_DEPTH;
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 1) {
    throw new Error(
      `Invalid config at backend.careplane.maxJsonDepth: expected a whole number of at least 1, got ${maxDepth}`,
    );
  }
  return { maxBytes, maxDepth };
}
