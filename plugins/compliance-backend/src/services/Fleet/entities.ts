import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_DATA_CLASSIFICATION,
  selectorForEntity,
} from '@careplane/plugin-clusters-common';
import type { FleetEntity } from './FleetIndex';

function ref(
  value: unknown,
  defaultKind: string,
  defaultNamespace: string,
): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace }),
    );
  } catch {
    return undefined;
  }
}

/**
 * A catalog entity as the fleet index needs it, or undefined when it has no (valid) Kubernetes
 * annotation: such entities have nothing to evaluate.
 * @internal
 */
export function toFleetEntity(entity: Entity): FleetEntity | undefined {
  let selector;
  try {
    selector = selectorForEntity(entity);
  } catch {
    return undefined;
  }
  if (!selector) return undefined;
  const namespace = entity.metadata.namespace ?? 'default';
  const spec: any = entity.spec ?? {};
  return {
    facts: {
      entityRef: stringifyEntityRef(entity),
      kind: entity.kind,
      title: entity.metadata.title,
      owner: ref(spec.owner, 'group', namespace),
      system: ref(spec.system, 'system', namespace),
      lifecycle:
        typeof spec.lifecycle === 'string' ? spec.lifecycle : undefined,
      annotations: { ...(entity.metadata.annotations ?? {}) },
      links: entity.metadata.links?.map(
        (l: { url: string; title?: string; type?: string }) => ({
          url: l.url,
          title: l.title,
          type: l.type,
        }),
      ),
    },
    phi:
      entity.metadata.annotations?.[ANNOTATION_DATA_CLASSIFICATION] === 'phi',
    labelSelector: selector.labelSelector,
    namespace: selector.namespace,
  };
}
