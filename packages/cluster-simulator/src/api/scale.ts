import type { SimulatedCluster } from '../cluster';
import type { ResourceType } from '../resources';
import type { K8sObject } from '../util';
import { json, SimRequest, SimResponse } from './http';
import { patchObject } from './patch';
import { badRequest, genericServerResponse, invalid } from './status';

/** The autoscaling/v1 Scale of a workload (its `scale` subresource). */
function toScale(o: K8sObject) {
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: {
      replicas: o.status?.replicas ?? 0,
      selector: Object.entries(o.spec?.selector?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    },
  };
}

/** GET / PUT / PATCH of `<workload>/scale`. */
export function scaleResponse(
  cluster: SimulatedCluster,
  type: ResourceType,
  namespace: string,
  name: string,
  method: string,
  req: SimRequest,
  version: string,
): SimResponse {
  const obj = cluster.get(type, namespace, name);
  if (method === 'GET') return json(200, toScale(obj));
  let replicas: unknown;
  try {
    const body = JSON.parse(req.body ?? '{}');
    replicas = body?.spec?.replicas;
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
  if (method !== 'PUT' && method !== 'PATCH') throw genericServerResponse(405);
  if (typeof replicas !== 'number')
    throw invalid('autoscaling', 'Scale', name, [
      {
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'spec.replicas',
      },
    ]);
  const updated = patchObject(
    cluster,
    type,
    namespace,
    name,
    'application/merge-patch+json',
    JSON.stringify({ spec: { replicas } }),
    { version },
  ).object;
  return json(200, toScale(updated));
}
