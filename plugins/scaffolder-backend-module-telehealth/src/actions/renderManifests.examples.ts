import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** Examples of `telehealth:manifests:render`, shown in the actions list. */
export const examples: TemplateExample[] = [
  {
    description:
      'Render a PHI video service with a canary rollout for the two PHI clusters',
    example: stringify({
      steps: [
        {
          id: 'render',
          action: 'telehealth:manifests:render',
          name: 'Render Kubernetes manifests',
          input: {
            name: 'visit-notes',
            owner: 'group:default/telehealth-video',
            system: 'telehealth',
            serviceKind: 'video',
            dataClassification: 'phi',
            clusters: ['cloud-east', 'legacy-onprem'],
            strategy: 'canary',
            canaryWeights: [20, 50],
            sloAvailability: 99.95,
            minReplicas: 3,
            maxReplicas: 10,
            dependencies: ['patient-records:8080'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Render only the namespace guard rails of an existing internal service (onboarding)',
    example: stringify({
      steps: [
        {
          id: 'render',
          action: 'telehealth:manifests:render',
          name: 'Render namespace guard rails',
          input: {
            name: 'scheduling',
            owner: 'group:default/scheduling',
            dataClassification: 'internal',
            scope: 'namespace',
            clusters: ['cloud-west'],
          },
        },
      ],
    }),
  },
];
