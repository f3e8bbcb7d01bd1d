import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createRunCreateTemplateAction } from './scaffolderModule';

const server = setupServer();
registerMswTestHooks(server);

const discovery = mockServices.discovery();
const auth = mockServices.auth();
const LI = 'user:default/li.wei';

const input = {
  entityRef: 'component:default/triage-model-training',
  name: 'triage-ft',
  cluster: 'gpu-research',
  image: 'registry.example/ml/train:1.0',
  gpuType: 'nvidia-a100-80gb',
  gpuCount: 2,
  cpu: '16',
  memory: '128Gi',
  maxRuntimeMinutes: 120,
};

describe('training:run:create (scaffolder)', () => {
  it('launches through /api/training as the person running the template, once per task', async () => {
    const base = await discovery.getBaseUrl('training');
    const bodies: unknown[] = [];
    const tokens: Array<string | null> = [];
    server.use(
      http.post(`${base}/v1/runs`, async ({ request }) => {
        bodies.push(await request.json());
        tokens.push(request.headers.get('authorization'));
        return HttpResponse.json(
          {
            created: true,
            run: {
              id: 'run-1',
              objectName: 'triage-ft-0a1b2c',
              state: { phase: 'queued', message: 'Queued' },
            },
          },
          { status: 201 },
        );
      }),
    );
    const action = createRunCreateTemplateAction({ discovery, auth });
    const ctx = createMockActionContext({
      input,
      task: { id: 'task-42' },
    });
    ctx.getInitiatorCredentials = async () => mockCredentials.user(LI);
    await action.handler(ctx);
    expect(bodies).toEqual([
      {
        entityRef: 'component:default/triage-model-training',
        name: 'triage-ft',
        cluster: 'gpu-research',
        image: 'registry.example/ml/train:1.0',
        cpu: '16',
        memory: '128Gi',
        maxRuntimeMinutes: 120,
        idempotencyKey: 'task-task-42',
        gpu: { type: 'nvidia-a100-80gb', count: 2 },
        reason: 'Software template task task-42',
      },
    ]);
    expect(tokens).toEqual([
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.user(LI),
        targetPluginId: 'training',
      }),
    ]);
    expect(ctx.output).toHaveBeenCalledWith('runId', 'run-1');
    expect(ctx.output).toHaveBeenCalledWith('phase', 'queued');
    expect(ctx.output).toHaveBeenCalledWith('runUrl', '/training/runs/run-1');
  });

  it('fails with the training plugin’s message when the launch is refused', async () => {
    const base = await discovery.getBaseUrl('training');
    server.use(
      http.post(`${base}/v1/runs`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message:
                'Cannot launch: gpu.count: gpu.count must be a whole number of at least 1',
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    const action = createRunCreateTemplateAction({ discovery, auth });
    const ctx = createMockActionContext({
      input: { ...input, gpuCount: 0 },
      task: { id: 'task-43' },
    });
    ctx.getInitiatorCredentials = async () => mockCredentials.user(LI);
    await expect(action.handler(ctx)).rejects.toThrow(
      'Training run not launched (400); caused by InputError: Cannot launch: gpu.count: gpu.count must be a whole number of at least 1',
    );
  });
});
