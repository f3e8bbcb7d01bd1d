/*
 * Child processes of the production scripts: the simulated clusters and backend instances, with
 * their output kept (for the checks) and echoed with a prefix.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

function log(message) {
  process.stdout.write(`[production] ${message}\n`);
}

function sleep(ms) {
  return new Promise(r => setTimeout(r, ms));
}

/**
 * Spawns a node process whose output is appended to `logFile` and echoed with `prefix`.
 * @returns {{ child, lines: string[], exited: Promise<number|null>, stop: () => Promise<void> }}
 */
function spawnLogged({ args, env, cwd = root, prefix, logFile, echo = true }) {
  const child = spawn(process.execPath, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  const out = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
  const listeners = new Set();
  const onChunk = chunk => {
    out?.write(chunk);
    for (const line of String(chunk).split('\n')) {
      if (line === '') continue;
      lines.push(line);
      if (echo) process.stdout.write(`${prefix} ${line}\n`);
      for (const l of listeners) l(line);
    }
  };
  child.stdout.on('data', onChunk);
  child.stderr.on('data', onChunk);
  const exited = new Promise(resolve =>
    child.on('exit', code => {
      out?.end();
      resolve(code);
    }),
  );
  return {
    child,
    lines,
    exited,
    onLine: listener => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves with the first line matching `pattern`, rejects on exit or timeout. */
function waitForLine(proc, pattern, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const found = proc.lines.find(l => pattern.test(l));
    if (found) {
      resolve(found);
      return;
    }
    const timer = setTimeout(() => {
      off();
      reject(new Error(`${what} not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const off = proc.onLine(line => {
      if (pattern.test(line)) {
        clearTimeout(timer);
        off();
        resolve(line);
      }
    });
    proc.exited.then(code => {
      clearTimeout(timer);
      off();
      reject(new Error(`${what} exited with code ${code} before it was ready`));
    });
  });
}

/** GET a URL on the local machine; resolves with status, headers and body text. */
function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, timeout: 10_000 }, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
  });
}

/** Polls `url` until it answers `status`. */
async function waitForHttp(url, { status = 200, timeoutMs, what, proc }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc && proc.child.exitCode !== null) {
      throw new Error(`${what} exited with code ${proc.child.exitCode}`);
    }
    try {
      const res = await get(url);
      if (res.status === status) return res;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} did not answer ${status} on ${url} in ${timeoutMs} ms`,
      );
    }
    await sleep(500);
  }
}

/** A TCP port nobody listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = http.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

module.exports = {
  root,
  log,
  sleep,
  spawnLogged,
  waitForLine,
  waitForHttp,
  get,
  freePort,
};
