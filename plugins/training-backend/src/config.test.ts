import { ConfigReader } from '@backstage/config';
import { readTrainingConfig } from './config';

const a100 = {
  name: 'nvidia-a100-80gb',
  nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' },
  tolerations: [
    { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
  ],
  pricePerGpuHour: 3.5,
  migProfiles: [{ name: '1g.10gb', pricePerHour: 0.5 }],
};
const read = (training: object) =>
  readTrainingConfig(new ConfigReader({ training }));

describe('readTrainingConfig', () => {
  it('reads GPU types with defaults', () => {
    expect(read({ gpuTypes: [a100] })).toEqual({
      currency: 'USD',
      gpuTypes: [
        {
          name: 'nvidia-a100-80gb',
          title: 'nvidia-a100-80gb',
          resourceName: 'nvidia.com/gpu',
          nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' },
          tolerations: [
            { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
          ],
          pricePerGpuHour: 3.5,
          maxPerRun: 8,
          clusters: [],
          migProfiles: [
            {
              name: '1g.10gb',
              resourceName: 'nvidia.com/mig-1g.10gb',
              pricePerHour: 0.5,
            },
          ],
        },
      ],
      teamQuotas: [],
      idle: { threshold: 0.1, minutes: 15 },
      reconcileIntervalMs: 15000,
    });
  });

  it('reads nothing as no GPU types', () => {
    expect(readTrainingConfig(new ConfigReader({})).gpuTypes).toEqual([]);
  });

  it.each<[string, object, string]>([
    [
      'missing name',
      { gpuTypes: [{ pricePerGpuHour: 1 }] },
      "'training.gpuTypes[0].name': is required",
    ],
    [
      'bad name',
      { gpuTypes: [{ ...a100, name: 'A100' }] },
      "'training.gpuTypes[0].name': 'A100' is not a DNS label",
    ],
    [
      'missing price',
      { gpuTypes: [{ name: 'x' }] },
      "'training.gpuTypes[0].pricePerGpuHour': is required",
    ],
    [
      'negative price',
      { gpuTypes: [{ name: 'x', pricePerGpuHour: -1 }] },
      "'training.gpuTypes[0].pricePerGpuHour': must be 0 or more",
    ],
    [
      'bad maxPerRun',
      { gpuTypes: [{ ...a100, maxPerRun: 1.5 }] },
      "'training.gpuTypes[0].maxPerRun': must be a positive whole number",
    ],
    [
      'bad toleration',
      { gpuTypes: [{ ...a100, tolerations: [{ operator: 'Maybe' }] }] },
      "'training.gpuTypes[0].tolerations[0].operator': must be one of Exists, Equal",
    ],
    [
      'bad MIG profile',
      {
        gpuTypes: [
          { ...a100, migProfiles: [{ name: 'big', pricePerHour: 1 }] },
        ],
      },
      "'training.gpuTypes[0].migProfiles[0].name'",
    ],
    [
      'duplicate',
      { gpuTypes: [a100, a100] },
      "'training.gpuTypes[1].name': 'nvidia-a100-80gb' is configured twice",
    ],
    [
      'quota of an unknown type',
      {
        gpuTypes: [a100],
        teamQuotas: [
          { team: 'group:default/x', cluster: 'c', gpuType: 'h100', gpus: 4 },
        ],
      },
      "'training.teamQuotas[0].gpuType': 'h100' is not in training.gpuTypes",
    ],
    [
      'idle threshold',
      { idle: { threshold: 5 } },
      "'training.idle.threshold': must be between 0 and 1",
    ],
    [
      'interval',
      { reconcileInterval: { milliseconds: 10 } },
      "'training.reconcileInterval': must be at least 1 second",
    ],
  ])('names the key: %s', (_what, training, message) => {
    expect(() => read(training)).toThrow(message);
  });
});
