import type { StatusBody } from './status';

/** A transport-neutral API request. */
export interface SimRequest {
  method: string;
  url: URL;
  header(name: string): string | undefined | null;
  body?: string;
}

/** Receives the chunks of a streamed response. */
export interface StreamSink {
  write(chunk: string): void;
  end(): void;
  /** Abruptly fails the stream (a reset connection). */
  destroy(): void;
}

/** A transport-neutral API response: a body or a stream. */
export type SimResponse =
  | { status: number; headers: Record<string, string>; body: string }
  | {
      status: number;
      headers: Record<string, string>;
      /** Starts the stream; returns a function that stops it. */
      stream: (sink: StreamSink) => () => void;
    };

/** Knobs for watch streams. */
export interface WatchSettings {
  /** Real milliseconds between BOOKMARK events when the client allows them. */
  bookmarkIntervalMs: number;
  /** Real milliseconds between log polls for `follow=true`. */
  logPollMs: number;
}

/** A JSON answer. */
export function json(
  status: number,
  body: unknown,
  extra: Record<string, string> = {},
): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...extra },
    body: JSON.stringify(body),
  };
}

/** A `Status` failure answer. */
export function fail(
  body: StatusBody,
  extra: Record<string, string> = {},
): SimResponse {
  return json(body.code, body, extra);
}

/**
 * Go's http.NotFound, which the end of kube-apiserver's delegation chain
 * answers for paths no API group serves
 * (apiserver/pkg/util/notfoundhandler/not_found_handler.go).
 */
export function pageNotFound(): SimResponse {
  return {
    status: 404,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
    },
    body: '404 page not found\n',
  };
}

/**
 * A `Warning` response header value, `299 - "<text>"` with quotes and
 * backslashes escaped (apimachinery/pkg/util/net/http.go NewWarningHeader).
 */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/[\\"]/g, c => `\\${c}`)}"`;
}

/** Adds Warning headers (joined, as a list-valued header) to a response. */
export function withWarnings(
  response: SimResponse,
  warnings: string[] | undefined,
): SimResponse {
  if (!warnings || warnings.length === 0) return response;
  const unique = [...new Set(warnings)];
  return {
    ...response,
    headers: {
      ...response.headers,
      warning: unique.map(warningHeader).join(', '),
    },
  };
}
