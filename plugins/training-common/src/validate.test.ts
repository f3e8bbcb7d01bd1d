import { context, request } from './testFixtures';
import { validateLaunch } from './validate';
import type { LaunchRequest } from './contract';

function problems(change: Partial<LaunchRequest>, ctx = context) {
  const result = validateLaunch({ ...request, ...change }, ctx);
  return result.ok ? [] : result.problems;
}

describe('validateLaunch', () => {
  it('resolves defaults: job runtime, queue and namespace from the entity annotation', () => {
    const result = validateLaunch(request, context);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan).toMatchObject({
      runtime: 'job',
      queue: 'ml-platform',
      namespace: 'ml-platform',
      kubernetesId: 'triage-model-training',
      gpuResource: 'nvidia.com/gpu',
      gpusPerNode: 2,
      nodes: 1,
      pricePerGpuHour: 3.5,
    });
  });

  it.each<[string, Partial<LaunchRequest>, string, RegExp]>([
    [
      'zero GPUs',
      { gpu: { type: 'nvidia-a100-80gb', count: 0 } },
      'gpu.count',
      /at least 1/,
    ],
    [
      'too many GPUs',
      { gpu: { type: 'nvidia-a100-80gb', count: 16 } },
      'gpu.count',
      /more than one run may use \(8\)/,
    ],
    [
      'too many GPUs over nodes',
      { nodes: 3, gpu: { type: 'nvidia-a100-80gb', count: 4 } },
      'gpu.count',
      /12 nvidia-a100-80gb GPUs/,
    ],
    [
      'fractional GPUs',
      { gpu: { type: 'nvidia-a100-80gb', count: 1.5 } },
      'gpu.count',
      /whole number/,
    ],
    [
      'unknown GPU type',
      { gpu: { type: 'h100', count: 1 } },
      'gpu.type',
      /'h100' is not configured; choose one of: nvidia-a100-80gb/,
    ],
    [
      'unknown MIG profile',
      { gpu: { type: 'nvidia-a100-80gb', count: 1, migProfile: '7g.80gb' } },
      'gpu.migProfile',
      /no MIG profile '7g.80gb'; profiles: 1g.10gb/,
    ],
    [
      'malformed image',
      { image: 'Registry/ML Image:1' },
      'image',
      /not a valid image reference/,
    ],
    [
      'untagged image',
      { image: 'registry.example/ml/train' },
      'image',
      /tag other than latest/,
    ],
    [
      'latest image',
      { image: 'registry.example/ml/train:latest' },
      'image',
      /tag other than latest/,
    ],
    [
      'secret by name in env',
      { hyperParameters: { WANDB_API_KEY: 'abc' } },
      'hyperParameters.WANDB_API_KEY',
      /looks like a secret; pass it in secretEnv/,
    ],
    [
      'secret by value in env',
      { hyperParameters: { HUB: 'hf_abcdefghijklmnopqrstuvwx' } },
      'hyperParameters.HUB',
      /Hugging Face token/,
    ],
    [
      'URL with a password',
      { hyperParameters: { DATA_URL: 'postgres://u:p4ss@db/x' } },
      'hyperParameters.DATA_URL',
      /URL with a password/,
    ],
    [
      'bad env name',
      { hyperParameters: { '1X': '1' } },
      'hyperParameters.1X',
      /not a valid environment variable name/,
    ],
    [
      'env set twice',
      { secretEnv: [{ name: 'BATCH_SIZE', secretName: 's', key: 'k' }] },
      'secretEnv[0].name',
      /set twice/,
    ],
    [
      'cluster without the GPU type',
      { cluster: 'cloud-east' },
      'cluster',
      /cloud-east does not offer nvidia-a100-80gb; clusters that do: gpu-research/,
    ],
    [
      'unknown cluster',
      { cluster: 'nowhere' },
      'cluster',
      /Unknown cluster 'nowhere'/,
    ],
    [
      'runtime without its CRD',
      { runtime: 'pytorchjob' },
      'runtime',
      /does not serve PyTorchJob/,
    ],
    ['bad name', { name: 'Triage_FT' }, 'name', /DNS label/],
    [
      'short idempotency key',
      { idempotencyKey: 'abc' },
      'idempotencyKey',
      /8 to 64/,
    ],
    ['bad cpu', { cpu: 'lots' }, 'cpu', /not a CPU quantity/],
    ['bad memory', { memory: '12 GB' }, 'memory', /not a memory quantity/],
    [
      'bad PVC',
      { datasetPvc: 'Data_Set' },
      'datasetPvc',
      /not a valid PersistentVolumeClaim name/,
    ],
    [
      'same PVC twice',
      { outputPvc: 'triage-dataset' },
      'outputPvc',
      /must differ/,
    ],
    [
      'no deadline',
      { maxRuntimeMinutes: 0 },
      'maxRuntimeMinutes',
      /1 to 10080/,
    ],
    [
      'deadline too long',
      { maxRuntimeMinutes: 20000 },
      'maxRuntimeMinutes',
      /7 days/,
    ],
    ['bad queue', { queue: 'ML Queue' }, 'queue', /not a DNS label/],
  ])('refuses %s', (_what, change, field, message) => {
    const found = problems(change);
    expect(found).toContainEqual({
      field,
      message: expect.stringMatching(message),
    });
  });

  it('needs a digest for PHI data', () => {
    const phi = {
      ...context,
      entity: {
        metadata: {
          annotations: {
            ...context.entity.metadata.annotations,
            'careplane.io/data-classification': 'phi',
          },
        },
      },
    };
    expect(problems({}, phi)).toEqual([
      {
        field: 'image',
        message: expect.stringMatching(/PHI data: pin the image by digest/),
      },
    ]);
    expect(
      problems(
        { image: `registry.example/ml/train@sha256:${'a'.repeat(64)}` },
        phi,
      ),
    ).toEqual([]);
  });

  it('needs a queue on a Kueue cluster and an entity that can own objects', () => {
    const bare = { ...context, entity: { metadata: { annotations: {} } } };
    expect(
      problems({}, bare)
        .map(p => p.field)
        .sort(),
    ).toEqual(['entityRef', 'queue']);
  });

  it('reports a malformed queue annotation', () => {
    const bad = {
      ...context,
      entity: {
        metadata: {
          annotations: {
            'backstage.io/kubernetes-id': 'x',
            'careplane.io/training-queue': 'a/b/c',
          },
        },
      },
    };
    expect(problems({}, bad)).toContainEqual({
      field: 'queue',
      message: expect.stringMatching(
        /'a\/b\/c' is malformed: more than one \//,
      ),
    });
  });

  it('uses the MIG slice as the resource and its price', () => {
    const result = validateLaunch(
      {
        ...request,
        gpu: { type: 'nvidia-a100-80gb', count: 2, migProfile: '1g.10gb' },
      },
      context,
    );
    expect(result.ok && result.plan).toMatchObject({
      gpuResource: 'nvidia.com/mig-1g.10gb',
      pricePerGpuHour: 0.5,
      migProfile: '1g.10gb',
    });
  });
});
