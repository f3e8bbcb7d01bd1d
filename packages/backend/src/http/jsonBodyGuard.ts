import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { CustomErrorBase, InputError } from '@backstage/errors';
import type { JsonBodyGuardOptions } from './config';
import { jsonNestingDepth } from './jsonDepth';

/**
 * The request body is larger than the backend accepts (HTTP 413).
 *
 * `@backstage/errors` has no class for 413; the error middleware of the root HTTP router takes the
 * status from a `statusCode` property. It is a getter so that it stays out of the serialised body.
 *
 * @internal
 */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;

  get statusCode(): number {
    return 413;
  }
}

const decompressors: Record<
  string,
  (input: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>
> = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};

/** `application/json` and every `application/*+json` (merge-patch, json-patch, ...). */
function isJsonMediaType(contentType: string): boolean {
  const type = contentType.split(';')[0].trim().toLowerCase();
  return (
    type === 'application/json' ||
    (type.startsWith('application/') && type.endsWith('+json'))
  );
}

/** As body-parser decides it (type-is `hasBody`): a length or a transfer encoding is declared. */
function hasBody(req: IncomingMessage): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined ||
    req.headers['content-length'] !== undefined
  );
}

function textEncoding(contentType: string): BufferEncoding {
  const charset = /;\s*charset\s*=\s*"?([\w-]+)/i.exec(contentType)?.[1];
  return charset && Buffer.isEncoding(charset) ? charset : 'utf8';
}

/**
 * Reads the whole body and then puts it back, so that whatever comes next reads exactly the bytes
 * the client sent: body-parser's `json()` and `raw()`, or a proxy that pipes the request on.
 *
 * The stream must not emit 'end' meanwhile, since nothing can be put back after it:
 * - `unshift` is allowed until 'end'. 'readable' fires once more when the end has been reached and
 *   before 'end' is emitted, so the body goes back in that same call.
 * - 'end' is emitted when a read finds the stream empty and ended. `read()` is only called when
 *   there is data, and listening for 'readable' reads once on the next tick; so listening starts a
 *   turn of the event loop after the request came in, when an empty body is known to be complete
 *   and is then left alone.
 *
 * Resolves `undefined` when the body is larger than `maxBytes`; the rest of it is then read and
 * dropped, as Node does with a body nobody reads.
 */
function readAndReplay(
  req: IncomingMessage,
  maxBytes: number,
): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;

    const cleanup = () => {
      req.off('readable', onReadable);
      req.off('error', onError);
      req.off('close', onClose);
    };
    function onReadable() {
      while (req.readableLength > 0) {
        const chunk: Buffer | null = req.read();
        if (chunk === null) {
          break;
        }
        size += chunk.length;
        if (size > maxBytes) {
          cleanup();
          req.resume();
          resolve(undefined);
          return;
        }
        chunks.push(chunk);
      }
      if (req.complete) {
        cleanup();
        const body = Buffer.concat(chunks, size);
        if (body.length > 0) {
          req.unshift(body);
        }
        resolve(body);
      }
    }
    function onError(error: Error) {
      cleanup();
      reject(new InputError('The request was aborted', error));
    }
    function onClose() {
      cleanup();
      reject(new InputError('The request was aborted'));
    }

    setImmediate(() => {
      if (req.destroyed) {
        reject(new InputError('The request was aborted'));
        return;
      }
      if (req.complete && req.readableLength === 0) {
        resolve(Buffer.alloc(0));
        return;
      }
      req.on('readable', onReadable);
      req.on('error', onError);
      req.on('close', onClose);
    });
  });
}

async function decompress(
  body: Buffer,
  contentEncoding: string,
  maxBytes: number,
): Promise<Buffer | undefined> {
  if (contentEncoding === 'identity') {
    return body;
  }
  const decompressor = decompressors[contentEncoding];
  if (!decompressor) {
    // Nothing in the backend can decode it either: body-parser answers 415 and a proxy passes it on.
    return undefined;
  }
  try {
    return await decompressor(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeError(
        `Request body is larger than ${maxBytes} bytes once decompressed`,
      );
    }
    throw new InputError(
      `Request body could not be decompressed (${contentEncoding})`,
      error,
    );
  }
}

/**
 * A middleware that refuses JSON request bodies that are too large (413) or nested too deeply
 * (400) before any plugin parses them, since plugins walk parsed bodies with recursive code (schema
 * validation, hashing, templating) that overflows the stack or takes seconds on a deep body.
 *
 * It applies to `application/json` and `application/*+json` bodies, compressed or not. It does not
 * parse them: it scans the text in one loop (see {@link jsonNestingDepth}) and then hands the
 * unchanged bytes on. Each plugin still parses with its own options (its own size limit, strict
 * mode), and routes that need the raw bytes (webhook signatures in the events plugin, the proxy)
 * still get them. Errors go to `next`, so the error middleware writes the usual Backstage error
 * body.
 *
 * @internal
 */
export function createJsonBodyGuard(
  options: JsonBodyGuardOptions,
): (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void {
  const { maxBytes, maxDepth } = options;
  const tooLarge = () =>
    new PayloadTooLargeError(`Request body is larger than ${maxBytes} bytes`);

  return (req, _res, next) => {
    const contentType = req.headers['content-type'] ?? '';
    if (!isJsonMediaType(contentType) || !hasBody(req)) {
      next();
      return;
    }
    if (Number(req.headers['content-length']) > maxBytes) {
      // Not read at all: Node drops the body once the response is sent.
      next(tooLarge());
      return;
    }
    const contentEncoding = (
      req.headers['content-encoding'] ?? 'identity'
    ).toLowerCase();
    readAndReplay(req, maxBytes)
      .then(async body => {
        if (body === undefined) {
          throw tooLarge();
        }
        const decoded = await decompress(body, contentEncoding, maxBytes);
        if (
          decoded !== undefined &&
          jsonNestingDepth(
            decoded.toString(textEncoding(contentType)),
            maxDepth,
          ) > maxDepth
        ) {
          throw new InputError(
            `Request body is nested deeper than ${maxDepth} levels`,
          );
        }
      })
      .then(() => next(), next);
  };
}
