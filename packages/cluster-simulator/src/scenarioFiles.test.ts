import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioFile, parseScenario, ScenarioError } from './scenario';
import { startSimulator } from './server';

describe('scenario files', () => {
  const write = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-scenario-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, text);
    return file;
  };

  it('names file, line and problem for a structural error', () => {
    const file = write(
      'seed: 1\nclusters:\n  - name: ok\n  - name: Bad_Name\n    port: 99999\n',
    );
    expect(() => loadScenarioFile(file)).toThrow(ScenarioError);
    expect(() => loadScenarioFile(file)).toThrow(
      `${file}:4:5: cluster "name" is required and must be a DNS label`,
    );
  });

  it('names file and line for YAML syntax errors and unknown keys', () => {
    expect(() =>
      parseScenario('clusters:\n  - name: a\n   bad: [\n', 'x.yaml'),
    ).toThrow(/^x\.yaml:\d+:\d+: invalid YAML/);
    expect(() => parseScenario('clustrs: []\n', 'y.yaml')).toThrow(
      'y.yaml:1:1: unknown key "clustrs"',
    );
  });

  it('names the object when the API server would reject it', () => {
    const text =
      'clusters:\n  - name: a\n    objects:\n      - apiVersion: v1\n        kind: ConfigMap\n        metadata: { name: ok }\n      - apiVersion: argoproj.io/v1alpha1\n        kind: Rollout\n        metadata: { name: r }\n';
    const file = write(text);
    return expect(
      startSimulator({ scenarioFile: file, ports: 'ephemeral', speed: 0 }),
    ).rejects.toThrow(
      `${file}:7:9: cluster "a" does not serve Rollout (argoproj.io/v1alpha1): add the "argo-rollouts" addon`,
    );
  });

  it('loads the demo scenario that matches the demo catalog', async () => {
    const sim = await startSimulator({
      scenarioFile: join(__dirname, '../scenarios/demo.yaml'),
      ports: 'ephemeral',
      speed: 0,
    });
    try {
      expect(sim.clusters.map(c => `${c.name}:${c.token}`)).toEqual([
        'legacy-onprem:sim-token-legacy-onprem',
        'cloud-east:sim-token-cloud-east',
        'cloud-west:sim-token-cloud-west',
        'gpu-research:sim-token-gpu-research',
      ]);
      expect(sim.simulation.scenario.clusters.map(c => c.port)).toEqual([
        16441, 16442, 16443, 16444,
      ]);
      expect(sim.simulation.scenario.controlPort).toBe(16440);
      const east = sim.simulation.cluster('cloud-east');
      const ro = east.objectOf(
        'argoproj.io',
        'Rollout',
        'video-consultation',
        'video-consultation',
      )!;
      expect(ro.status).toMatchObject({ phase: 'Paused', currentStepIndex: 1 });
      expect(
        east.objectOf(
          'argoproj.io',
          'Rollout',
          'session-service',
          'session-service',
        )!.status.pauseConditions[0].reason,
      ).toBe('BlueGreenPause');
      const gpu = sim.simulation.cluster('gpu-research');
      const reasons = gpu
        .objectsOf('kueue.x-k8s.io', 'Workload')
        .map(
          w =>
            w.status.conditions.find((c: any) => c.type === 'QuotaReserved')
              .reason,
        )
        .sort();
      expect(reasons).toEqual(['QuotaReserved', 'WaitingForQuota']);
      const secret = sim.simulation
        .cluster('legacy-onprem')
        .objectOf('', 'Secret', 'e-prescribing', 'e-prescribing-secrets')!;
      expect(
        Buffer.from(secret.data['database-password'], 'base64').toString(),
      ).toMatch(/^CANARY-SECRET-VALUE-/);
      const dep = sim.simulation
        .cluster('legacy-onprem')
        .objectOf('apps', 'Deployment', 'e-prescribing', 'e-prescribing')!;
      expect(
        dep.spec.template.spec.containers[0].securityContext.runAsUser,
      ).toBe(0);
      expect(dep.metadata.managedFields?.length).toBeGreaterThan(0);
    } finally {
      await sim.stop();
    }
  });
});
