import { InputError } from '@backstage/errors';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
  LABEL_KUBERNETES_ID,
} from './annotations';
import type { ObjectSelector } from './types';

/**
 * One requirement of a label selector.
 * @public
 */
export type LabelRequirement =
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

const KEY =
  /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

function splitTerms(selector: string): string[] {
  // commas inside `in (a,b)` do not separate requirements
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms.map(t => t.trim()).filter(Boolean);
}

function checkKey(key: string, selector: string) {
  if (!KEY.test(key)) {
    throw new InputError(
      `Invalid label key '${key}' in selector '${selector}'`,
    );
  }
}

function checkValue(value: string, selector: string) {
  if (!VALUE.test(value) || value.length > 63) {
    throw new InputError(
      `Invalid label value '${value}' in selector '${selector}'`,
    );
  }
}

/**
 * Parses a Kubernetes label selector (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`).
 * Throws `InputError` when it is malformed. The empty selector matches everything.
 * @public
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return splitTerms(selector).map(term => {
    let m = term.match(/^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/);
    if (m) {
      const values = m[3]
        .split(',')
        .map(v => v.trim())
        .filter(Boolean);
      checkKey(m[1], selector);
      values.forEach(v => checkValue(v, selector));
      return { key: m[1], op: m[2] as 'in' | 'notin', values };
    }
    m = term.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/);
    if (m) {
      checkKey(m[1], selector);
      checkValue(m[3], selector);
      return { key: m[1], op: m[2] === '!=' ? '!=' : '=', value: m[3] };
    }
    m = term.match(/^(!?)\s*([^=!\s()]+)$/);
    if (m) {
      checkKey(m[2], selector);
      return { key: m[2], op: m[1] ? '!exists' : 'exists' };
    }
    throw new InputError(`Invalid label selector '${selector}'`);
  });
}

/**
 * Whether labels satisfy every requirement.
 * @public
 */
export function matchesLabelSelector(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case '=':
        return has && l[r.key] === r.value;
      case '!=':
        return !has || l[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      case 'exists':
        return has;
      case '!exists':
        return !has;
      default:
        return false;
    }
  });
}

/**
 * The selector of an entity's objects from its annotations (DESIGN.md §3), or `undefined` when
 * the entity has neither `backstage.io/kubernetes-id` nor `backstage.io/kubernetes-label-selector`.
 * @public
 */
export function selectorForEntity(entity: {
  metadata: { annotations?: Record<string, string> };
}): ObjectSelector | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const namespace = annotations[ANNOTATION_KUBERNETES_NAMESPACE] || undefined;
  const labelSelector = annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR];
  if (labelSelector) {
    parseLabelSelector(labelSelector);
    return { labelSelector, namespace };
  }
  const id = annotations[ANNOTATION_KUBERNETES_ID];
  if (id) {
    return { labelSelector: `${LABEL_KUBERNETES_ID}=${id}`, namespace };
  }
  return undefined;
}
