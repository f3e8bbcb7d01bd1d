import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { z as zod } from 'zod/v3';

const validator = makeValidator();

/** A value for a message: quoted, escapes visible (a newline shows as \n), and not too long. */
export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/**
 * Why `value` is not an entity ref of one of `kinds` (`[kind:][namespace/]name`, each part valid
 * for the catalog), or `undefined` when it is one. `parseEntityRef` alone accepts any characters in
 * the parts (a newline, `---`, spaces), so every part is checked as the catalog checks it.
 */
export function entityRefProblem(
  value: unknown,
  kinds: readonly string[],
): string | undefined {
  if (typeof value !== 'string' || value === '') {
    return 'it is empty or not a string';
  }
  let ref: { kind: string; namespace: string; name: string };
  try {
    ref = parseEntityRef(value, {
      defaultKind: kinds[0],
      defaultNamespace: 'default',
    });
  } catch (e) {
    return (e as Error).message;
  }
  if (!validator.isValidKind(ref.kind)) return `'${ref.kind}' is not a kind`;
  if (!validator.isValidNamespace(ref.namespace)) {
    return `'${ref.namespace}' is not a valid namespace`;
  }
  if (!validator.isValidEntityName(ref.name)) {
    return `'${ref.name}' is not a valid entity name`;
  }
  if (!kinds.some(k => k.toLowerCase() === ref.kind.toLowerCase())) {
    return `it is a ${ref.kind}, not a ${kinds.join(' or ')}`;
  }
  return undefined;
}

/** `telehealth-video` → `group:default/telehealth-video`; call only after {@link entityRefProblem}. */
export function normalizeEntityRef(value: string, defaultKind: string): string {
  return stringifyEntityRef(
    parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
  );
}

/**
 * A zod string that must be an entity ref of one of `kinds`, e.g. for `owner`:
 * `owner must be an entity ref of a group or user (e.g. group:default/telehealth-video), got "x\n---": …`.
 */
export function entityRefSchema(
  z: typeof zod,
  parameter: string,
  kinds: readonly string[],
  example: string,
) {
  return z.string().superRefine((value, ctx) => {
    const problem = entityRefProblem(value, kinds);
    if (problem) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `${parameter} must be an entity ref of a ${kinds.join(
          ' or ',
        )} (e.g. ${example}), got ${quote(value)}: ${problem}`,
      });
    }
  });
}
