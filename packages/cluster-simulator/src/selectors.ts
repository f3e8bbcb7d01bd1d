import { K8sObject } from './util';

/** A parsed label selector: a conjunction of requirements (field selectors: api/fieldSelectors.ts). */
export type Selector = (obj: K8sObject) => boolean;

/** Raised for malformed selectors; the API turns it into a 400 BadRequest. */
export class SelectorError extends Error {}

interface Requirement {
  key: string;
  op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!exists';
  values: string[];
}

/** Splits on commas that are not inside parentheses. */
function splitTerms(input: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out.map(s => s.trim()).filter(s => s.length > 0);
}

const keyRe =
  /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

function parseLabelRequirements(input: string): Requirement[] {
  const reqs: Requirement[] = [];
  for (const term of splitTerms(input)) {
    const setMatch = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    const eqMatch = /^([^=!\s]+)\s*(==|!=|=)\s*(\S*)$/.exec(term);
    const notMatch = /^!\s*(\S+)$/.exec(term);
    if (setMatch) {
      reqs.push({
        key: setMatch[1],
        op: setMatch[2] as 'in' | 'notin',
        values: setMatch[3]
          .split(',')
          .map(v => v.trim())
          .filter(v => v !== ''),
      });
    } else if (eqMatch) {
      reqs.push({
        key: eqMatch[1],
        op: eqMatch[2] === '!=' ? '!=' : '=',
        values: [eqMatch[3]],
      });
    } else if (notMatch) {
      reqs.push({ key: notMatch[1], op: '!exists', values: [] });
    } else if (/^\S+$/.test(term)) {
      reqs.push({ key: term, op: 'exists', values: [] });
    } else {
      throw new SelectorError(`unable to parse requirement: ${term}`);
    }
  }
  for (const r of reqs) {
    if (!keyRe.test(r.key)) {
      throw new SelectorError(
        `unable to parse requirement: invalid label key "${r.key}"`,
      );
    }
  }
  return reqs;
}

function matches(
  reqs: Requirement[],
  lookup: (key: string) => string | undefined,
): boolean {
  for (const r of reqs) {
    const v = lookup(r.key);
    switch (r.op) {
      case '=':
        if (v !== r.values[0]) return false;
        break;
      case '!=':
        if (v === r.values[0]) return false;
        break;
      case 'in':
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case 'exists':
        if (v === undefined) return false;
        break;
      case '!exists':
        if (v !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Parses a `labelSelector` query parameter. */
export function parseLabelSelector(input: string | undefined | null): Selector {
  if (!input) {
    return () => true;
  }
  const reqs = parseLabelRequirements(input);
  return obj => matches(reqs, key => obj.metadata?.labels?.[key]);
}

/** Builds a matcher from a structured LabelSelector (matchLabels / matchExpressions). */
export function labelSelectorFromObject(
  sel: any,
): (labels: Record<string, string> | undefined) => boolean {
  if (!sel) {
    return () => false;
  }
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    reqs.push({ key: k, op: '=', values: [String(v)] });
  }
  for (const e of sel.matchExpressions ?? []) {
    const op = String(e.operator ?? '').toLowerCase();
    reqs.push({
      key: e.key,
      op:
        op === 'in'
          ? 'in'
          : op === 'notin'
          ? 'notin'
          : op === 'exists'
          ? 'exists'
          : '!exists',
      values: (e.values ?? []).map(String),
    });
  }
  return labels => matches(reqs, key => labels?.[key]);
}
