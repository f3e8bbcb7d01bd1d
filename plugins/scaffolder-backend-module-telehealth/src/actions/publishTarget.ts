import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { TelehealthConfig } from '../config';

/**
 * `telehealth:publish:target`: tells the template where this portal publishes repositories
 * (scaffolder.telehealth.publish), so one template works in development and production.
 * @public
 */
export function createPublishTargetAction(deps: { config: TelehealthConfig }) {
  const { publish } = deps.config;
  return createTemplateAction({
    id: 'telehealth:publish:target',
    description:
      "Outputs the configured publishing provider (local, github or gitlab) and, for github / gitlab, the repoUrl for publish:github / publish:gitlab. Steps choose with `if: ${{ steps.target.output.provider == 'github' }}`.",
    examples: [
      {
        description: 'Pick the publish step from config',
        example: `steps:\n  - id: target\n    action: telehealth:publish:target\n    input:\n      repoName: \${{ parameters.name }}\n`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z => z.string().describe('Name of the new repository'),
      },
      output: {
        provider: z => z.string().describe('local, github or gitlab'),
        repoUrl: z =>
          z
            .string()
            .describe(
              'host?owner=…&repo=… for github / gitlab; empty for local',
            ),
      },
    },
    async handler(ctx) {
      ctx.output('provider', publish.provider);
      ctx.output(
        'repoUrl',
        publish.provider === 'local'
          ? ''
          : `${publish.host}?owner=${encodeURIComponent(
              publish.owner!,
            )}&repo=${encodeURIComponent(ctx.input.repoName)}`,
      );
    },
  });
}
