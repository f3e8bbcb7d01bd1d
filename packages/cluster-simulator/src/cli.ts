import { resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { ScenarioError } from './scenario';
import { startSimulator } from './server';

const USAGE =
  'usage: careplane-cluster-sim --scenario <file> [--seed N] [--speed X] [--host H] [--ephemeral-ports] [--tls-cert <pem file> --tls-key <pem file>]';

function parseArgs(argv: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--'))
      throw new Error(`unexpected argument "${a}"\n${USAGE}`);
    const [k, inline] = a.slice(2).split('=', 2);
    if (k === 'ephemeral-ports' || k === 'help') out[k] = true;
    else {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`--${k} needs a value\n${USAGE}`);
      out[k] = v;
    }
  }
  return out;
}

/**
 * Resolves a scenario path: relative to the working directory, else to the
 * directory npm was started from (INIT_CWD), so `npm start` works both from
 * the repository root and from this package.
 */
function resolveScenario(p: string): string {
  const candidates = [
    resolve(process.cwd(), p),
    ...(process.env.INIT_CWD ? [resolve(process.env.INIT_CWD, p)] : []),
  ];
  return candidates.find(c => existsSync(c)) ?? candidates[0];
}

/** CLI entry point: starts the simulator and prints a ready line. */
export async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  if (args.help || typeof args.scenario !== 'string') {
    process.stdout.write(`${USAGE}\n`);
    process.exitCode = args.help ? 0 : 2;
    return;
  }
  const seed = args.seed !== undefined ? Number(args.seed) : undefined;
  const speed = args.speed !== undefined ? Number(args.speed) : undefined;
  if (seed !== undefined && !Number.isInteger(seed))
    throw new Error('--seed must be an integer');
  if (speed !== undefined && !(speed >= 0))
    throw new Error('--speed must be a number >= 0');
  const tlsCert = args['tls-cert'];
  const tlsKey = args['tls-key'];
  if ((tlsCert === undefined) !== (tlsKey === undefined))
    throw new Error('--tls-cert and --tls-key go together');
  const tls =
    typeof tlsCert === 'string' && typeof tlsKey === 'string'
      ? {
          cert: readFileSync(tlsCert, 'utf8'),
          key: readFileSync(tlsKey, 'utf8'),
        }
      : undefined;
  const sim = await startSimulator({
    tls,
    scenarioFile: resolveScenario(args.scenario),
    seed,
    speed,
    host: typeof args.host === 'string' ? args.host : undefined,
    ports: args['ephemeral-ports'] ? 'ephemeral' : 'scenario',
  });
  const summary = sim.clusters.map(c => `${c.name}=${c.url}`).join(' ');
  process.stdout.write(
    `careplane-cluster-sim ready control=${sim.controlUrl} ${summary}\n`,
  );
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/** Runs main and reports errors (scenario errors name file, line and problem). */
export function run(): void {
  main(process.argv.slice(2)).catch(e => {
    const message =
      e instanceof ScenarioError
        ? e.message
        : `careplane-cluster-sim: ${(e as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  });
}
