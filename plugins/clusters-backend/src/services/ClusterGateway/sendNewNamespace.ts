import { ConflictError } from '@backstage/errors';
import {
  CAREPLANE_FIELD_MANAGER,
  KubeObject,
} from '@careplane/plugin-clusters-common';
import type { KindRegistry } from '../InformerCache/KindRegistry';
import { statusCodeOf } from '../KubeClient/errors';
import type { KubeClient } from '../KubeClient/KubeClient';
import { objectPath } from './writeTarget';

/**
 * Sends a new namespace to the cluster: created with POST (never apply: it must not exist yet;
 * 409 says so with how to get an existing one granted), then its policies applied in it. In a
 * dry run the namespace is not created, so its policies are only validated.
 * @internal
 */
export async function sendNewNamespace(
  client: KubeClient,
  kinds: KindRegistry,
  built: { namespace: KubeObject; policies: KubeObject[] },
  dryRun: boolean,
  id: string,
): Promise<KubeObject> {
  const name = built.namespace.metadata.name;
  const dry = dryRun ? 'All' : undefined;
  let created: KubeObject;
  try {
    created = await client.request<KubeObject>({
      verb: 'create',
      method: 'POST',
      path: '/api/v1/namespaces',
      query: { fieldManager: CAREPLANE_FIELD_MANAGER, dryRun: dry },
      body: built.namespace,
      retry: 'throttled-only',
    });
  } catch (e) {
    if (statusCodeOf(e) !== 409) throw e;
    throw Object.assign(
      new ConflictError(
        `Namespace '${name}' already exists on cluster ${client.name}; a platform admin grants an existing namespace by labelling it backstage.io/kubernetes-id=${id}`,
      ),
      { kubeStatusCode: 409 },
    );
  }
  // in a dry run the namespace does not exist, so its policies were only validated
  for (const policy of dryRun ? [] : built.policies) {
    const policyKind = kinds.forManifest(policy.apiVersion, policy.kind);
    await client.request<KubeObject>({
      verb: 'apply',
      method: 'PATCH',
      path: objectPath(policyKind, name, policy.metadata.name),
      query: { fieldManager: CAREPLANE_FIELD_MANAGER },
      body: policy,
      contentType: 'application/apply-patch+yaml',
      retry: 'throttled-only',
    });
  }
  return created;
}
