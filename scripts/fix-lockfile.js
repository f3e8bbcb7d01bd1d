#!/usr/bin/env node
/*
 * Keeps package-lock.json usable by `npm ci` on these machines.
 *
 * The npm registry mirror reachable here lacks some platform-specific optional packages (for
 * example @swc/core-darwin-arm64, @rollup/rollup-win32-x64-msvc). `npm install` skips them, as
 * optional dependencies that cannot be fetched, but still records them in their parents'
 * `optionalDependencies` in the lockfile; `npm ci` then refuses the lockfile as out of sync
 * ("Missing: @swc/core-darwin-arm64@ from lock file"). This drops, from the lockfile only, the
 * optional dependencies that have no entry anywhere in it. It never touches packages that are
 * installed, and is idempotent. It runs as the root `postinstall`, after npm has written the
 * lockfile.
 */
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.resolve(__dirname, '..', 'package-lock.json');
if (!fs.existsSync(lockPath)) process.exit(0);

const text = fs.readFileSync(lockPath, 'utf8');
const lock = JSON.parse(text);
const packages = lock.packages ?? {};

const present = new Set();
for (const key of Object.keys(packages)) {
  const at = key.lastIndexOf('node_modules/');
  if (at >= 0) present.add(key.slice(at + 'node_modules/'.length));
}

const dropped = [];
for (const [key, entry] of Object.entries(packages)) {
  const optional = entry.optionalDependencies;
  if (!optional) continue;
  for (const name of Object.keys(optional)) {
    if (!present.has(name)) {
      delete optional[name];
      dropped.push(`${name} (from ${key || 'the root'})`);
    }
  }
  if (Object.keys(optional).length === 0) delete entry.optionalDependencies;
}

if (dropped.length > 0) {
  fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
  process.stdout.write(
    `[fix-lockfile] removed ${dropped.length} optional dependencies that the registry does not have from package-lock.json\n`,
  );
}
