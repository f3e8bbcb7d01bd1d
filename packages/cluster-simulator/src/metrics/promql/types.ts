/** Syntax tree and values of the PromQL subset. */

export type Labels = Record<string, string>;
export interface Sample {
  labels: Labels;
  value: number;
}
/** Supplies series values at a point in time. */
export interface SeriesSource {
  /** Every series of a metric name at time `t` (seconds). */
  select(name: string | undefined, matchers: Matcher[], t: number): Sample[];
}
export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}
export class PromQLError extends Error {}

/** A node of the syntax tree. */
export type Node =
  | { k: 'num'; v: number }
  | {
      k: 'sel';
      name?: string;
      matchers: Matcher[];
      range?: number;
      offset: number;
    }
  | { k: 'call'; fn: string; args: Node[] }
  | {
      k: 'agg';
      op: string;
      by?: string[];
      without?: string[];
      param?: Node;
      expr: Node;
    }
  | {
      k: 'bin';
      op: string;
      l: Node;
      r: Node;
      on?: string[];
      ignoring?: string[];
      bool: boolean;
    }
  | { k: 'neg'; e: Node };

/** The value of an expression. */
export type Value =
  | { t: 'scalar'; v: number }
  | { t: 'vector'; s: Sample[] }
  | {
      t: 'matrix';
      s: Array<{ labels: Labels; points: Array<[number, number]> }>;
    };

/** Aggregation operators. */
export const AGGS = ['sum', 'avg', 'min', 'max', 'count', 'topk', 'bottomk'];

/** Parses a PromQL duration like 5m, 1h30m, 30s. */
export function parsePromDuration(s: string): number {
  const re = /(\d+)(ms|s|m|h|d|w|y)/g;
  let total = 0;
  let used = '';
  for (;;) {
    const m = re.exec(s);
    if (!m) break;
    used += m[0];
    const n = Number(m[1]);
    total +=
      n *
      (
        {
          ms: 0.001,
          s: 1,
          m: 60,
          h: 3600,
          d: 86400,
          w: 604800,
          y: 31536000,
        } as Record<string, number>
      )[m[2]];
  }
  if (used !== s || s === '') throw new PromQLError(`bad duration "${s}"`);
  return total;
}
