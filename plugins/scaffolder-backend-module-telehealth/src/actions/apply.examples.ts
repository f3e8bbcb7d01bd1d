import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** Examples of `telehealth:apply`, shown in the actions list. */
export const examples: TemplateExample[] = [
  {
    description:
      'Apply the rendered manifests to two clusters after registering the entity',
    example: stringify({
      steps: [
        {
          id: 'apply',
          action: 'telehealth:apply',
          name: 'Apply to clusters',
          input: {
            entityRef: '${{ steps.register.output.entityRef }}',
            clusters: ['cloud-east', 'legacy-onprem'],
            reason: 'New service visit-notes (ticket CARE-142)',
          },
        },
      ],
    }),
  },
  {
    description:
      'Check the manifests against the API servers without changing anything',
    example: stringify({
      steps: [
        {
          id: 'apply-dry-run',
          action: 'telehealth:apply',
          name: 'Server-side dry run',
          input: {
            entityRef: 'component:default/visit-notes',
            clusters: ['resource:default/cloud-east'],
            manifestsPath: 'manifests',
            dryRun: true,
          },
        },
      ],
    }),
  },
];
