import type { ResourceType } from '../resources';
import type { K8sObject } from '../util';
import {
  forbiddenField,
  invalidValue,
  notSupported,
  required,
} from './fieldErrors';
import {
  isQualifiedName,
  isValidLabelValue,
  NameValidator,
  nameIsDns1035Label,
  nameIsDnsLabel,
  nameIsDnsSubdomain,
} from './names';
import { invalid, StatusCause } from './status';

/**
 * Admission validation of built-in kinds: ObjectMeta
 * (apimachinery/pkg/api/validation/objectmeta.go ValidateObjectMetaAccessor)
 * and the per-kind rules a client is likely to trip over
 * (kubernetes pkg/apis/{core,apps,batch}/validation).
 */

/** The name rule of a kind (ValidateNameFunc of its strategy). */
function nameValidator(type: ResourceType): NameValidator {
  if (type.group === '' && type.kind === 'Namespace') return nameIsDnsLabel;
  if (type.group === '' && type.kind === 'Service') return nameIsDns1035Label;
  return nameIsDnsSubdomain;
}

/** Go's %#v of a map[string]string, used in the selector mismatch message. */
function goMap(m: Record<string, string>): string {
  const inner = Object.keys(m)
    .sort()
    .map(k => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`)
    .join(', ');
  return `map[string]string{${inner}}`;
}

/** ValidateObjectMetaAccessor: name / generateName, namespace scope, labels. */
export function validateObjectMeta(
  type: ResourceType,
  obj: K8sObject,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const meta = obj.metadata ?? {};
  const nameFn = nameValidator(type);
  if (meta.generateName) {
    for (const m of nameFn(meta.generateName, true))
      causes.push(invalidValue('metadata.generateName', meta.generateName, m));
  }
  if (!meta.name) {
    causes.push(required('metadata.name', 'name or generateName is required'));
  } else {
    for (const m of nameFn(meta.name, false))
      causes.push(invalidValue('metadata.name', meta.name, m));
  }
  if (!type.namespaced && meta.namespace) {
    causes.push(
      forbiddenField('metadata.namespace', 'not allowed on this type'),
    );
  }
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    for (const m of isQualifiedName(k))
      causes.push(invalidValue('metadata.labels', k, m));
    for (const m of isValidLabelValue(String(v)))
      causes.push(invalidValue('metadata.labels', v, m));
  }
  for (const k of Object.keys(meta.annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase()))
      causes.push(invalidValue('metadata.annotations', k, m));
  }
  return causes;
}

function validatePodSpec(spec: any, path: string, causes: StatusCause[]) {
  const containers = spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push(required(`${path}.containers`));
    return;
  }
  containers.forEach((c: any, i: number) => {
    if (!c?.name) causes.push(required(`${path}.containers[${i}].name`));
    if (!c?.image) causes.push(required(`${path}.containers[${i}].image`));
  });
}

function validateSelectorAndTemplate(spec: any, causes: StatusCause[]) {
  if (!spec.selector) {
    causes.push(required('spec.selector'));
    return;
  }
  const matchLabels = spec.selector.matchLabels;
  if (matchLabels) {
    const labels = spec.template?.metadata?.labels ?? {};
    if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${goMap(
          labels,
        )}: \`selector\` does not match template \`labels\``,
        field: 'spec.template.metadata.labels',
      });
    }
  }
}

function validateNonNegative(
  value: unknown,
  field: string,
  out: StatusCause[],
) {
  if (value === undefined) return;
  if (typeof value !== 'number' || value < 0)
    out.push(invalidValue(field, value, 'must be greater than or equal to 0'));
}

function validateRestartPolicy(
  policy: string | undefined,
  field: string,
  allowed: string[],
  out: StatusCause[],
) {
  // SetDefaults_PodSpec runs first: an absent policy is "Always".
  const value = policy ?? 'Always';
  if (!allowed.includes(value)) out.push(notSupported(field, value, allowed));
}

type KindValidator = (obj: K8sObject, out: StatusCause[]) => void;

const KIND_VALIDATORS: Record<string, KindValidator> = {
  '/Pod': (o, out) => validatePodSpec(o.spec, 'spec', out),
  '/Service': (o, out) => {
    (o.spec?.ports ?? []).forEach((p: any, i: number) => {
      if (typeof p?.port !== 'number' || p.port < 1 || p.port > 65535)
        out.push(
          invalidValue(
            `spec.ports[${i}].port`,
            p?.port ?? 0,
            'must be between 1 and 65535, inclusive',
          ),
        );
    });
  },
  '/PersistentVolumeClaim': (o, out) => {
    const spec = o.spec ?? {};
    if (!Array.isArray(spec.accessModes) || spec.accessModes.length === 0)
      out.push(
        required('spec.accessModes', 'at least 1 access mode is required'),
      );
    if (!spec.resources?.requests?.storage)
      out.push(required('spec.resources[storage]'));
  },
  'apps/Deployment': (o, out) => appsWorkload(o, out),
  'apps/ReplicaSet': (o, out) => appsWorkload(o, out),
  'apps/StatefulSet': (o, out) => appsWorkload(o, out),
  'apps/DaemonSet': (o, out) => {
    const spec = o.spec ?? {};
    validateSelectorAndTemplate(spec, out);
    validatePodSpec(spec.template?.spec, 'spec.template.spec', out);
    validateRestartPolicy(
      spec.template?.spec?.restartPolicy,
      'spec.template.spec.restartPolicy',
      ['Always'],
      out,
    );
  },
  'apps/ControllerRevision': (o, out) =>
    validateNonNegative(o.revision ?? -1, 'revision', out),
  'batch/Job': (o, out) => jobSpec(o.spec ?? {}, 'spec', out),
  'batch/CronJob': (o, out) => {
    const spec = o.spec ?? {};
    if (!spec.schedule) out.push(required('spec.schedule'));
    else if (String(spec.schedule).trim().split(/\s+/).length !== 5)
      out.push(
        invalidValue(
          'spec.schedule',
          spec.schedule,
          `Expected exactly 5 fields, found ${
            String(spec.schedule).trim().split(/\s+/).length
          }: ${spec.schedule}`,
        ),
      );
    jobSpec(spec.jobTemplate?.spec ?? {}, 'spec.jobTemplate.spec', out);
  },
  'apiextensions.k8s.io/CustomResourceDefinition': (o, out) => {
    const spec = o.spec ?? {};
    const expected = `${spec.names?.plural}.${spec.group}`;
    if (o.metadata.name !== expected)
      out.push(
        invalidValue(
          'metadata.name',
          o.metadata.name,
          'must be spec.names.plural+"."+spec.group',
        ),
      );
  },
};

function appsWorkload(o: K8sObject, out: StatusCause[]) {
  const spec = o.spec ?? {};
  validateSelectorAndTemplate(spec, out);
  validatePodSpec(spec.template?.spec, 'spec.template.spec', out);
  validateNonNegative(spec.replicas, 'spec.replicas', out);
}

function jobSpec(spec: any, path: string, out: StatusCause[]) {
  validatePodSpec(spec.template?.spec, `${path}.template.spec`, out);
  validateRestartPolicy(
    spec.template?.spec?.restartPolicy,
    `${path}.template.spec.restartPolicy`,
    ['OnFailure', 'Never'],
    out,
  );
}

/** Validates a built-in object; throws 422 Invalid with every cause found. */
export function validateBuiltin(type: ResourceType, obj: K8sObject): void {
  const causes = validateObjectMeta(type, obj);
  KIND_VALIDATORS[`${type.group}/${type.kind}`]?.(obj, causes);
  if (causes.length > 0) {
    throw invalid(type.group, type.kind, obj.metadata?.name ?? '', causes);
  }
}
