import { PassThrough } from 'node:stream';

/**
 * The answer of `GET /v1/logs` for a pod that has no node yet (the API server's 204): the
 * README's HTTP API section documents it.
 * @internal
 */
export const POD_NOT_STARTED = 'no logs yet: the pod has not started';

/**
 * Passes a followed log through; when it ends without a byte and the pod has not started, writes
 * {@link POD_NOT_STARTED} before ending.
 * @internal
 */
export function explainEmptyLog(
  upstream: NodeJS.ReadableStream,
  notStarted: () => Promise<boolean>,
): NodeJS.ReadableStream {
  const out = new PassThrough();
  let empty = true;
  upstream.on('data', chunk => {
    empty = false;
    out.write(chunk);
  });
  upstream.on('error', e => out.destroy(e));
  upstream.on('end', () => {
    if (!empty) {
      out.end();
      return;
    }
    notStarted().then(
      yes => out.end(yes ? POD_NOT_STARTED : undefined),
      () => out.end(),
    );
  });
  return out;
}
