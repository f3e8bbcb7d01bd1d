import type { StatusCause } from './status';

/**
 * field.Error as kube-apiserver renders it in `details.causes`
 * (k8s.io/apimachinery/pkg/util/validation/field/errors.go): `reason` is the
 * error type, `message` is ErrorBody() and `field` the path.
 */

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

function cause(
  reason: string,
  field: string,
  body: string,
  detail?: string,
): StatusCause {
  return { reason, message: detail ? `${body}: ${detail}` : body, field };
}

/** field.Required. */
export function required(field: string, detail = ''): StatusCause {
  return cause('FieldValueRequired', field, 'Required value', detail);
}

/** field.Invalid. */
export function invalidValue(
  field: string,
  value: unknown,
  detail: string,
): StatusCause {
  return cause(
    'FieldValueInvalid',
    field,
    `Invalid value: ${formatValue(value)}`,
    detail,
  );
}

/** field.TypeInvalid (CRD schema type mismatches). */
export function typeInvalid(
  field: string,
  value: unknown,
  detail: string,
): StatusCause {
  return cause(
    'FieldValueTypeInvalid',
    field,
    `Invalid value: ${formatValue(value)}`,
    detail,
  );
}

/** field.NotSupported. */
export function notSupported(
  field: string,
  value: unknown,
  supported: string[],
): StatusCause {
  return cause(
    'FieldValueNotSupported',
    field,
    `Unsupported value: ${formatValue(value)}`,
    supported.length
      ? `supported values: ${supported.map(s => JSON.stringify(s)).join(', ')}`
      : '',
  );
}

/** field.Forbidden. */
export function forbiddenField(field: string, detail: string): StatusCause {
  return cause('FieldValueForbidden', field, 'Forbidden', detail);
}

/** field.TooLong. */
export function tooLong(field: string, max: number): StatusCause {
  return cause(
    'FieldValueTooLong',
    field,
    'Too long',
    max >= 0 ? `may not be more than ${max} bytes` : 'value is too long',
  );
}

/** field.TooMany. */
export function tooMany(
  field: string,
  actual: number,
  max: number,
): StatusCause {
  return cause(
    'FieldValueTooMany',
    field,
    `Too many: ${actual}`,
    `must have at most ${max} items`,
  );
}

/** field.Duplicate. */
export function duplicate(field: string, value: unknown): StatusCause {
  return cause(
    'FieldValueDuplicate',
    field,
    `Duplicate value: ${formatValue(value)}`,
  );
}
