import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createPublishLocalAction } from './publishLocal';
import { createPublishTargetAction } from './publishTarget';
import { checkpointStore, testConfig } from '../__testUtils__/testUtils';

describe('telehealth:publish:local', () => {
  const dir = createMockDirectory();
  beforeEach(() => dir.clear());

  it('commits the workspace into a new local git repository, once', async () => {
    dir.setContent({
      'workspace/catalog-info.yaml': 'kind: Component\n',
      'workspace/src/index.ts': 'export {};\n',
    });
    const action = createPublishLocalAction({
      config: testConfig({
        publish: { provider: 'local', localDirectory: dir.resolve('repos') },
      }),
    });
    const store = checkpointStore();
    const ctx = {
      ...createMockActionContext({
        input: {
          repoName: 'visit-notes',
          sourcePath: '.',
          defaultBranch: 'main',
          commitMessage: 'Initial commit',
        } as any,
        workspacePath: dir.resolve('workspace'),
      }),
      checkpoint: store.checkpoint,
    };
    await action.handler(ctx as any);
    await action.handler(ctx as any); // a retry does not publish again (nor fail on the folder)

    const repo = dir.resolve('repos/visit-notes');
    expect(fs.readFileSync(`${repo}/src/index.ts`, 'utf8')).toBe(
      'export {};\n',
    );
    const log = execFileSync('git', ['log', '--format=%s', 'main'], {
      cwd: repo,
    }).toString();
    expect(log.trim()).toBe('Initial commit');
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoPath',
      `${repo}/catalog-info.yaml`,
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'repoContentsUrl',
      `file://${repo}`,
    );
  });

  it('refuses to overwrite an existing repository', async () => {
    dir.setContent({
      'workspace/a.txt': 'a',
      'repos/visit-notes/old.txt': 'old',
    });
    const action = createPublishLocalAction({
      config: testConfig({
        publish: { provider: 'local', localDirectory: dir.resolve('repos') },
      }),
    });
    await expect(
      action.handler(
        createMockActionContext({
          input: {
            repoName: 'visit-notes',
            sourcePath: '.',
            defaultBranch: 'main',
            commitMessage: 'x',
          } as any,
          workspacePath: dir.resolve('workspace'),
        }) as any,
      ),
    ).rejects.toThrow(/A local repository already exists at .*visit-notes/);
  });
});

describe('telehealth:publish:target', () => {
  it('outputs the configured provider and repoUrl', async () => {
    const action = createPublishTargetAction({
      config: testConfig({
        publish: {
          provider: 'github',
          localDirectory: '',
          host: 'github.com',
          owner: 'northwind-health',
        },
      }),
    });
    const ctx = createMockActionContext({ input: { repoName: 'visit-notes' } });
    await action.handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('provider', 'github');
    expect(ctx.output).toHaveBeenCalledWith(
      'repoUrl',
      'github.com?owner=northwind-health&repo=visit-notes',
    );
  });
});
