import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** Examples of `telehealth:catalog:register`. */
export const examples: TemplateExample[] = [
  {
    description: 'Register a locally published repository (development)',
    example: stringify({
      steps: [
        {
          id: 'register',
          action: 'telehealth:catalog:register',
          name: 'Register in the catalog',
          input: {
            name: '${{ steps.render.output.kubernetesId }}',
            owner: '${{ steps.render.output.owner }}',
            catalogInfoPath: '${{ steps.publish.output.catalogInfoPath }}',
          },
        },
      ],
    }),
  },
  {
    description: 'Register a repository published to GitHub',
    example: stringify({
      steps: [
        {
          id: 'register',
          action: 'telehealth:catalog:register',
          name: 'Register in the catalog',
          input: {
            name: 'visit-notes',
            owner: 'group:default/telehealth-video',
            catalogInfoUrl:
              "${{ steps['publish-github'].output.repoContentsUrl }}/catalog-info.yaml",
          },
        },
      ],
    }),
  },
];
