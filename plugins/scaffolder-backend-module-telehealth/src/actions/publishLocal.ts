import { ConflictError, InputError } from '@backstage/errors';
import {
  createTemplateAction,
  executeShellCommand,
} from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { TelehealthConfig } from '../config';
import { withDefaults } from './defaults';
import type { z as zod } from 'zod/v3';
import { examples } from './publishLocal.examples';

const REPO_NAME = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;

const inputShape = {
  repoName: (z: typeof zod) =>
    z.string().describe('Repository (folder) name, e.g. the service name'),
  sourcePath: (z: typeof zod) =>
    z
      .string()
      .default('.')
      .describe('Workspace sub-folder to publish; default the whole workspace'),
  defaultBranch: (z: typeof zod) =>
    z.string().default('main').describe('Name of the initial branch'),
  commitMessage: (z: typeof zod) =>
    z
      .string()
      .default('Initial commit from the Careplane portal')
      .describe('Message of the first commit'),
};

/**
 * `telehealth:publish:local`: publishes the workspace as a git repository on the backend's
 * machine (development without network; production publishes with publish:github / gitlab).
 * @public
 */
export function createPublishLocalAction(deps: { config: TelehealthConfig }) {
  const { config } = deps;
  return createTemplateAction({
    id: 'telehealth:publish:local',
    description:
      'Publishes the workspace as a new git repository in a local folder (scaffolder.telehealth.publish.localDirectory), for development machines without network. Outputs a file:// URL and the path of catalog-info.yaml for telehealth:catalog:register.',
    examples,
    schema: {
      input: inputShape,
      output: {
        remoteUrl: z => z.string().describe('file:// URL of the repository'),
        repoContentsUrl: z =>
          z.string().describe('file:// URL of the repository contents'),
        repoPath: z =>
          z
            .string()
            .describe('Absolute path of the repository on the backend host'),
        catalogInfoPath: z =>
          z
            .string()
            .describe(
              'Absolute path of catalog-info.yaml, for a file location',
            ),
      },
    },
    async handler(ctx) {
      const { repoName, sourcePath, defaultBranch, commitMessage } =
        withDefaults(inputShape, ctx.input);
      if (!REPO_NAME.test(repoName)) {
        throw new InputError(`Invalid repository name '${repoName}'`);
      }
      const root = config.publish.localDirectory;
      const repoPath = path.join(root, repoName);
      const source = path.resolve(ctx.workspacePath, sourcePath);
      if (!source.startsWith(path.resolve(ctx.workspacePath))) {
        throw new InputError('sourcePath must stay inside the workspace');
      }
      await ctx.checkpoint({
        key: `telehealth:publish:local:${repoPath}`,
        fn: async () => {
          const exists = await fs.stat(repoPath).then(
            () => true,
            () => false,
          );
          if (exists) {
            throw new ConflictError(
              `A local repository already exists at ${repoPath}; choose another name or remove it`,
            );
          }
          await fs.mkdir(root, { recursive: true });
          await fs.cp(source, repoPath, { recursive: true });
          const author = ctx.user?.entity;
          const name =
            author?.spec?.profile?.displayName ??
            author?.metadata.name ??
            'Careplane scaffolder';
          const email =
            author?.spec?.profile?.email ?? 'scaffolder@careplane.invalid';
          const git = (args: string[]) =>
            executeShellCommand({
              command: 'git',
              args: [
                '-c',
                `user.name=${name}`,
                '-c',
                `user.email=${email}`,
                ...args,
              ],
              options: { cwd: repoPath },
              logger: ctx.logger,
            });
          await git(['init', '-q', '-b', defaultBranch]);
          await git(['add', '-A']);
          await git(['commit', '-q', '-m', commitMessage]);
        },
      });
      ctx.logger.info(`Published ${repoName} to ${repoPath}`);
      ctx.output('remoteUrl', `file://${repoPath}`);
      ctx.output('repoContentsUrl', `file://${repoPath}`);
      ctx.output('repoPath', repoPath);
      ctx.output('catalogInfoPath', path.join(repoPath, 'catalog-info.yaml'));
    },
  });
}
