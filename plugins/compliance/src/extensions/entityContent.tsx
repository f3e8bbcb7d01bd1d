import type { Entity } from '@backstage/catalog-model';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
} from '@careplane/plugin-clusters-common';

/**
 * Whether an entity has workloads to check: it names its Kubernetes objects.
 * @public
 */
export function hasComplianceScorecard(entity: Entity): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(
    a[ANNOTATION_KUBERNETES_ID] || a[ANNOTATION_KUBERNETES_LABEL_SELECTOR],
  );
}

/**
 * The entity "Compliance" tab.
 * @alpha
 */
export const complianceEntityContent = EntityContentBlueprint.make({
  name: 'compliance',
  params: {
    path: 'compliance',
    title: 'Compliance',
    filter: hasComplianceScorecard,
    loader: () =>
      import('../components/EntityCompliance').then(m => (
        <m.EntityComplianceContent />
      )),
  },
});

/**
 * The overview card: grade, score and top failing checks.
 * @alpha
 */
export const complianceEntityCard = EntityCardBlueprint.make({
  name: 'compliance',
  params: {
    filter: hasComplianceScorecard,
    loader: () =>
      import('../components/EntityCompliance').then(m => <m.ComplianceCard />),
  },
});
