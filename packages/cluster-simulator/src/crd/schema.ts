import {
  invalidValue,
  notSupported,
  required,
  tooLong,
  tooMany,
  typeInvalid,
} from '../api/fieldErrors';
import type { StatusCause } from '../api/status';
import { clone, K8sObject } from '../util';

/**
 * Structural-schema handling of custom resources, after
 * apiextensions-apiserver: defaulting and pruning of unknown fields
 * (pkg/apiserver/schema/pruning/algorithm.go, with the unknown-field paths
 * that customresource_handler.go turns into `unknown field "x"` warnings) and
 * OpenAPI validation whose results are converted to field errors exactly as
 * pkg/apiserver/validation/validation.go kubeOpenAPIResultToFieldErrors does,
 * with kube-openapi's messages (pkg/validation/errors/schema.go).
 */

/** A (structural) JSON schema node of a CRD. */
export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

/** Fields of ObjectMeta; anything else under metadata is pruned. */
const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

/** The openAPIV3Schema of one served version of a CRD. */
export function schemaOf(crd: K8sObject, version: string): Schema | undefined {
  const v = (crd.spec?.versions ?? []).find((x: any) => x.name === version);
  return v?.schema?.openAPIV3Schema;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function childPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Applies `default`s of properties missing from existing objects. */
function applyDefaults(value: unknown, schema: Schema | undefined): void {
  if (!schema) return;
  if (isObject(value)) {
    for (const [k, s] of Object.entries(schema.properties ?? {})) {
      if (value[k] === undefined && s.default !== undefined)
        value[k] = clone(s.default);
      applyDefaults(value[k], s);
    }
    if (isObject(schema.additionalProperties))
      for (const v of Object.values(value))
        applyDefaults(v, schema.additionalProperties);
  } else if (Array.isArray(value)) {
    for (const el of value) applyDefaults(el, schema.items);
  }
}

function prune(
  value: unknown,
  schema: Schema | undefined,
  path: string,
  unknown: string[],
): void {
  if (!schema || schema['x-kubernetes-preserve-unknown-fields']) {
    if (schema && isObject(value))
      for (const [k, s] of Object.entries(schema.properties ?? {}))
        prune(value[k], s, childPath(path, k), unknown);
    return;
  }
  if (isObject(value)) {
    const props = schema.properties ?? {};
    const additional = schema.additionalProperties;
    for (const k of Object.keys(value)) {
      if (props[k]) prune(value[k], props[k], childPath(path, k), unknown);
      else if (isObject(additional))
        prune(value[k], additional, childPath(path, k), unknown);
      else if (additional !== true) {
        unknown.push(childPath(path, k));
        delete value[k];
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach((el, i) => prune(el, schema.items, `${path}[${i}]`, unknown));
  }
}

/**
 * Defaults and prunes a custom resource in place following its version's
 * schema. Returns the paths of the fields that were dropped, in the order the
 * apiserver reports them (metadata first).
 */
export function pruneCustomResource(
  obj: K8sObject,
  schema: Schema | undefined,
): string[] {
  const unknown: string[] = [];
  for (const k of Object.keys(obj.metadata ?? {})) {
    if (!OBJECT_META_FIELDS.has(k)) {
      unknown.push(`metadata.${k}`);
      delete obj.metadata[k];
    }
  }
  if (!schema) return unknown;
  applyDefaults(obj, schema);
  for (const k of Object.keys(obj)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
    const s = schema.properties?.[k];
    if (s) prune(obj[k], s, k, unknown);
    else if (!schema['x-kubernetes-preserve-unknown-fields']) {
      unknown.push(k);
      delete obj[k];
    }
  }
  return unknown;
}

/** The JSON type kube-openapi reports for a value (number vs integer). */
function jsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(value: unknown, schema: Schema): boolean {
  const t = jsonType(value);
  if (schema['x-kubernetes-int-or-string'])
    return t === 'integer' || t === 'string';
  if (!schema.type) return true;
  if (t === 'null') return !!schema.nullable;
  if (schema.type === 'number') return t === 'number' || t === 'integer';
  return schema.type === t;
}

function validateScalar(
  value: unknown,
  schema: Schema,
  path: string,
  out: StatusCause[],
) {
  if (
    schema.enum &&
    !schema.enum.some(e => JSON.stringify(e) === JSON.stringify(value))
  )
    out.push(
      notSupported(
        path,
        value,
        schema.enum.map(e => (typeof e === 'string' ? e : JSON.stringify(e))),
      ),
    );
  if (typeof value === 'number') {
    if (schema.minimum !== undefined) {
      const bad = schema.exclusiveMinimum
        ? value <= schema.minimum
        : value < schema.minimum;
      if (bad)
        out.push(
          invalidValue(
            path,
            value,
            `${path} in body should be greater than ${
              schema.exclusiveMinimum ? '' : 'or equal to '
            }${schema.minimum}`,
          ),
        );
    }
    if (schema.maximum !== undefined) {
      const bad = schema.exclusiveMaximum
        ? value >= schema.maximum
        : value > schema.maximum;
      if (bad)
        out.push(
          invalidValue(
            path,
            value,
            `${path} in body should be less than ${
              schema.exclusiveMaximum ? '' : 'or equal to '
            }${schema.maximum}`,
          ),
        );
    }
  }
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      out.push(tooLong(path, schema.maxLength));
    if (schema.minLength !== undefined && value.length < schema.minLength)
      out.push(
        invalidValue(
          path,
          value,
          `${path} in body should be at least ${schema.minLength} chars long`,
        ),
      );
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value))
      out.push(
        invalidValue(
          path,
          value,
          `${path} in body should match '${schema.pattern}'`,
        ),
      );
  }
}

function validateNode(
  value: unknown,
  schema: Schema | undefined,
  path: string,
  out: StatusCause[],
): void {
  if (!schema) return;
  if (value === undefined) return;
  if (!typeMatches(value, schema)) {
    const t = jsonType(value);
    const want = schema['x-kubernetes-int-or-string']
      ? 'integer,string'
      : schema.type!;
    out.push(
      typeInvalid(path, t, `${path} in body must be of type ${want}: "${t}"`),
    );
    return;
  }
  validateScalar(value, schema, path, out);
  if (isObject(value)) {
    for (const r of schema.required ?? [])
      if (value[r] === undefined) out.push(required(childPath(path, r)));
    for (const [k, v] of Object.entries(value)) {
      const s =
        schema.properties?.[k] ??
        (isObject(schema.additionalProperties)
          ? schema.additionalProperties
          : undefined);
      validateNode(v, s, childPath(path, k), out);
    }
  } else if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      out.push(
        invalidValue(
          path,
          value.length,
          `${path} in body should have at least ${schema.minItems} items`,
        ),
      );
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      out.push(tooMany(path, value.length, schema.maxItems));
    value.forEach((el, i) =>
      validateNode(el, schema.items, `${path}[${i}]`, out),
    );
  }
}

/** Validates a (pruned) custom resource; returns the field errors. */
export function validateCustomResource(
  obj: K8sObject,
  schema: Schema | undefined,
): StatusCause[] {
  if (!schema) return [];
  const out: StatusCause[] = [];
  for (const r of schema.required ?? [])
    if (obj[r] === undefined) out.push(required(r));
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
    validateNode(v, schema.properties?.[k], k, out);
  }
  return out;
}
