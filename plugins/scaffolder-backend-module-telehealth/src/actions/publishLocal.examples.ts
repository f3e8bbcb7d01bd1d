import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** Examples of `telehealth:publish:local`. */
export const examples: TemplateExample[] = [
  {
    description:
      'Publish the workspace as a local git repository (development)',
    example: stringify({
      steps: [
        {
          id: 'publish',
          action: 'telehealth:publish:local',
          name: 'Publish (local git repository)',
          input: { repoName: '${{ parameters.name }}' },
        },
      ],
    }),
  },
];
