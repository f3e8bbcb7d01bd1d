import { ResponseError } from '@backstage/errors';

/**
 * The message to show for an error: the server's own message for a `ResponseError` (whose
 * `message` is only "Request failed with 403 Forbidden"), the error's message otherwise.
 * @public
 */
export function describeError(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message || error.message;
  }
  if (error && typeof error === 'object' && 'message' in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}
