import type { ResourceType } from '../resources';
import type { K8sObject } from '../util';
import { getPath } from '../util';
import { badRequest } from './status';

/**
 * Field selectors limited to what kube-apiserver supports per kind. Every
 * kind has metadata.name and metadata.namespace
 * (apimachinery/pkg/runtime/conversion.go DefaultMetaV1FieldSelectorConversion);
 * some kinds register more with AddFieldLabelConversionFunc
 * (kubernetes pkg/apis/core/v1/conversion.go, pkg/apis/batch/v1/conversion.go;
 * list: https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors/);
 * custom resources take metadata.name, metadata.namespace (namespaced only)
 * and the CRD's selectableFields (apiextensions-apiserver
 * pkg/apiserver/conversion/converter.go ConvertFieldLabel). Anything else is
 * a 400 with the conversion function's own message.
 */

type Getter = (obj: K8sObject) => string;

const str =
  (path: string): Getter =>
  obj => {
    const v = getPath(obj, path);
    return v === undefined || v === null ? '' : String(v);
  };
const bool =
  (path: string): Getter =>
  obj =>
    String(!!getPath(obj, path));
const int =
  (path: string): Getter =>
  obj =>
    String(Number(getPath(obj, path) ?? 0));

const NAME: Record<string, Getter> = { 'metadata.name': str('metadata.name') };
const META: Record<string, Getter> = {
  ...NAME,
  'metadata.namespace': str('metadata.namespace'),
};

interface KindFields {
  fields: Record<string, Getter>;
  error: (label: string) => string;
}

const notSupported = (label: string) => `field label not supported: ${label}`;

const KINDS: Record<string, KindFields> = {
  '/Pod': {
    fields: {
      ...META,
      'spec.nodeName': str('spec.nodeName'),
      'spec.restartPolicy': str('spec.restartPolicy'),
      'spec.schedulerName': str('spec.schedulerName'),
      'spec.serviceAccountName': str('spec.serviceAccountName'),
      'spec.hostNetwork': bool('spec.hostNetwork'),
      'status.phase': str('status.phase'),
      'status.podIP': str('status.podIP'),
      'status.nominatedNodeName': str('status.nominatedNodeName'),
    },
    error: notSupported,
  },
  '/Node': {
    fields: { ...NAME, 'spec.unschedulable': bool('spec.unschedulable') },
    error: notSupported,
  },
  '/Event': {
    fields: {
      ...META,
      'involvedObject.kind': str('involvedObject.kind'),
      'involvedObject.namespace': str('involvedObject.namespace'),
      'involvedObject.name': str('involvedObject.name'),
      'involvedObject.uid': str('involvedObject.uid'),
      'involvedObject.apiVersion': str('involvedObject.apiVersion'),
      'involvedObject.resourceVersion': str('involvedObject.resourceVersion'),
      'involvedObject.fieldPath': str('involvedObject.fieldPath'),
      reason: str('reason'),
      reportingComponent: str('reportingComponent'),
      source: str('source.component'),
      type: str('type'),
    },
    error: notSupported,
  },
  '/Namespace': {
    fields: { ...NAME, 'status.phase': str('status.phase') },
    error: notSupported,
  },
  '/Secret': {
    fields: { ...META, type: str('type') },
    error: notSupported,
  },
  '/Service': {
    fields: {
      ...META,
      'spec.clusterIP': str('spec.clusterIP'),
      'spec.type': str('spec.type'),
    },
    error: notSupported,
  },
  'apps/ReplicaSet': {
    fields: { ...META, 'status.replicas': int('status.replicas') },
    error: notSupported,
  },
  'batch/Job': {
    fields: { ...META, 'status.successful': int('status.succeeded') },
    error: label => `field label "${label}" not supported for Job`,
  },
};

const DEFAULT: KindFields = {
  fields: META,
  error: label =>
    `"${label}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
};

function fieldsOf(
  type: ResourceType,
  crd?: K8sObject,
  version?: string,
): KindFields {
  if (!type.crd) return KINDS[`${type.group}/${type.kind}`] ?? DEFAULT;
  const fields: Record<string, Getter> = type.namespaced
    ? { ...META }
    : { ...NAME };
  const v = (crd?.spec?.versions ?? []).find((x: any) => x.name === version);
  for (const f of v?.selectableFields ?? []) {
    const path = String(f.jsonPath ?? '').replace(/^\./, '');
    if (path) fields[path] = str(path);
  }
  return { fields, error: notSupported };
}

/** Splits a selector on commas that are not escaped (fields.ParseSelector). */
function splitTerms(input: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch === '\\' && i + 1 < input.length) {
      cur += input[++i];
    } else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.filter(t => t.trim() !== '');
}

/**
 * Parses a `fieldSelector` for a type; throws 400 for syntax errors and for
 * fields the kind does not support.
 */
export function fieldSelectorFor(
  type: ResourceType,
  input: string | null | undefined,
  crd?: K8sObject,
  version?: string,
): (obj: K8sObject) => boolean {
  if (!input) return () => true;
  const kind = fieldsOf(type, crd, version);
  const reqs: Array<{ get: Getter; neg: boolean; value: string }> = [];
  for (const term of splitTerms(input)) {
    const m = /^([^=!]+)(==|!=|=)(.*)$/.exec(term);
    if (!m)
      throw badRequest(
        `invalid selector: '${input}'; can't understand '${term}'`,
      );
    const label = m[1].trim();
    const get = kind.fields[label];
    if (!get) throw badRequest(kind.error(label));
    reqs.push({ get, neg: m[2] === '!=', value: m[3].trim() });
  }
  return obj => reqs.every(r => (r.get(obj) === r.value) !== r.neg);
}
