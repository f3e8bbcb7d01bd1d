import type {
  FieldProblem,
  LaunchRequest,
  TrainingRuntime,
} from '@careplane/plugin-training-common';

/** What the launch form holds, as people type it. */
export interface LaunchForm {
  entityRef: string;
  name: string;
  cluster: string;
  runtime: TrainingRuntime;
  queue: string;
  image: string;
  command: string;
  args: string;
  gpuType: string;
  gpuCount: string;
  migProfile: string;
  nodes: string;
  cpu: string;
  memory: string;
  datasetPvc: string;
  outputPvc: string;
  /** `KEY=value` per line. */
  hyperParameters: string;
  /** `NAME=secret/key` per line. */
  secretEnv: string;
  maxRuntimeMinutes: string;
}

/** A form to start from. */
export function emptyForm(entityRef = ''): LaunchForm {
  return {
    entityRef,
    name: '',
    cluster: '',
    runtime: 'job',
    queue: '',
    image: '',
    command: '',
    args: '',
    gpuType: '',
    gpuCount: '1',
    migProfile: '',
    nodes: '1',
    cpu: '8',
    memory: '64Gi',
    datasetPvc: '',
    outputPvc: '',
    hyperParameters: '',
    secretEnv: '',
    maxRuntimeMinutes: '120',
  };
}

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean);
const lines = (s: string) =>
  s
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean);

/** The request the form stands for, plus problems of lines that do not parse. */
export function toRequest(
  form: LaunchForm,
  idempotencyKey: string,
): { request: LaunchRequest; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const hyperParameters: Record<string, string> = {};
  for (const line of lines(form.hyperParameters)) {
    const i = line.indexOf('=');
    if (i <= 0) {
      problems.push({
        field: 'hyperParameters',
        message: `'${line}' is not KEY=value`,
      });
    } else {
      hyperParameters[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
  }
  const secretEnv = lines(form.secretEnv).flatMap(line => {
    const m = /^([^=\s]+)\s*=\s*([^/\s]+)\/(\S+)$/.exec(line);
    if (!m) {
      problems.push({
        field: 'secretEnv',
        message: `'${line}' is not NAME=secret-name/key`,
      });
      return [];
    }
    return [{ name: m[1], secretName: m[2], key: m[3] }];
  });
  const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
  const request: LaunchRequest = {
    idempotencyKey,
    entityRef: form.entityRef,
    name: form.name.trim(),
    cluster: form.cluster,
    runtime: form.runtime,
    ...(form.queue.trim() ? { queue: form.queue.trim() } : {}),
    image: form.image.trim(),
    command: words(form.command),
    args: words(form.args),
    gpu: {
      type: form.gpuType,
      count: num(form.gpuCount),
      ...(form.migProfile ? { migProfile: form.migProfile } : {}),
    },
    nodes: num(form.nodes),
    cpu: form.cpu.trim(),
    memory: form.memory.trim(),
    ...(form.datasetPvc.trim() ? { datasetPvc: form.datasetPvc.trim() } : {}),
    ...(form.outputPvc.trim() ? { outputPvc: form.outputPvc.trim() } : {}),
    hyperParameters,
    secretEnv,
    maxRuntimeMinutes: num(form.maxRuntimeMinutes),
  };
  return { request, problems };
}

/** The form field a problem belongs to (`gpu.count` → `gpuCount`, `secretEnv[0].name` → `secretEnv`). */
export function fieldOf(
  problemField: string,
): keyof LaunchForm | 'idempotencyKey' {
  if (problemField === 'gpu.type') return 'gpuType';
  if (problemField === 'gpu.count') return 'gpuCount';
  if (problemField === 'gpu.migProfile') return 'migProfile';
  const head = problemField.split(/[.[]/)[0];
  return head as keyof LaunchForm;
}
