#!/usr/bin/env node
/*
 * `npm start`: the simulated clusters first, then the portal (frontend on :3000, backend on :7007).
 *
 * The simulator serves the demo scenario on 127.0.0.1 (ports in catalog/DEMO-WORLD.md) and
 * app-config.yaml points the clusters plugin at it by URL and token, exactly as it would point at
 * real clusters. If a simulator already answers on the control port it is reused. Set
 * CAREPLANE_SIMULATOR=off to start only the portal (for example against real clusters configured
 * in app-config.local.yaml).
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const http = require('node:http');

const root = path.resolve(__dirname, '..');
const SIM_BIN = path.join(root, 'packages/cluster-simulator/bin/careplane-cluster-sim');
const SCENARIO = path.join(root, 'packages/cluster-simulator/scenarios/demo.yaml');
const CONTROL_HEALTH = 'http://127.0.0.1:16440/_sim/healthz';
const READY_TIMEOUT_MS = 60_000;

const children = [];
let stopping = false;

function log(message) {
  process.stdout.write(`[careplane] ${message}\n`);
}

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  setTimeout(() => process.exit(code), 2000).unref();
}

function healthy() {
  return new Promise(resolve => {
    const req = http.get(CONTROL_HEALTH, { timeout: 1000 }, res => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

async function startSimulator() {
  if (process.env.CAREPLANE_SIMULATOR === 'off') {
    log('CAREPLANE_SIMULATOR=off: not starting the simulated clusters');
    return;
  }
  if (await healthy()) {
    log('simulated clusters already running on 127.0.0.1:16440, reusing them');
    return;
  }
  log('starting the simulated clusters (packages/cluster-simulator, demo scenario)');
  const sim = spawn(process.execPath, [SIM_BIN, '--scenario', SCENARIO], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(sim);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`simulator not ready after ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    sim.stdout.on('data', chunk => {
      process.stdout.write(chunk);
      if (String(chunk).includes('careplane-cluster-sim ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    sim.on('exit', code => {
      clearTimeout(timer);
      reject(new Error(`simulator exited with code ${code} before it was ready`));
    });
  });
  sim.on('exit', code => {
    if (!stopping) {
      log(`simulated clusters exited (code ${code}); stopping the portal`);
      stopAll(1);
    }
  });
}

// The backend and the frontend run as two processes (what `backstage-cli repo start` does in
// one): the backend's development database lives in its parent process, which must answer within
// five seconds, and a parent busy compiling the frontend on a two-core machine does not.
function startPackage(dir) {
  const cli = path.join(root, 'node_modules/@backstage/cli/bin/backstage-cli');
  const child = spawn(process.execPath, [cli, 'package', 'start', ...process.argv.slice(2)], {
    cwd: path.join(root, dir),
    stdio: 'inherit',
  });
  children.push(child);
  child.on('exit', code => {
    if (!stopping) {
      log(`${dir} exited (code ${code}); stopping`);
      stopAll(code ?? 1);
    }
  });
}

async function main() {
  await startSimulator();
  startPackage('packages/backend');
  startPackage('packages/app');
}

process.on('SIGINT', () => stopAll(130));
process.on('SIGTERM', () => stopAll(143));

main().catch(error => {
  process.stderr.write(`[careplane] ${error.message}\n`);
  stopAll(1);
});
