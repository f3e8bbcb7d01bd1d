/*
 * Unpacks the backend bundle (packages/backend/dist/{skeleton,bundle}.tar.gz) as the Dockerfile
 * does, into .careplane/production/bundle (git-ignored).
 *
 * In the image, `npm ci --omit=dev` installs the third-party dependencies into the unpacked
 * skeleton. Here nothing may be installed (the repository's node_modules is shared), so the
 * unpacked workspace is placed inside the repository: Node resolves third-party modules up the tree
 * from the repository's node_modules (the same lockfile), and the bundle's own packages are linked
 * into its node_modules exactly as npm links workspaces, so the backend runs the bundle's built
 * code, not the sources.
 */
const fs = require('node:fs');
const path = require('node:path');
const tar = require('tar');
const { root } = require('./processes');

const DIST = path.join(root, 'packages/backend/dist');
const TARGET = path.join(root, '.careplane/production/bundle');

function bundleExists() {
  return (
    fs.existsSync(path.join(DIST, 'bundle.tar.gz')) &&
    fs.existsSync(path.join(DIST, 'skeleton.tar.gz'))
  );
}

function workspacePackageDirs(dir) {
  const pkg = JSON.parse(
    fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
  );
  const patterns = pkg.workspaces?.packages ?? pkg.workspaces ?? [];
  const dirs = [];
  for (const pattern of patterns) {
    const base = path.join(dir, pattern.replace(/\/\*$/, ''));
    if (!fs.existsSync(base)) continue;
    for (const name of fs.readdirSync(base)) {
      const candidate = path.join(base, name);
      if (fs.existsSync(path.join(candidate, 'package.json')))
        dirs.push(candidate);
    }
  }
  return dirs;
}

function link(target, linkPath) {
  fs.mkdirSync(path.dirname(linkPath), { recursive: true });
  fs.symlinkSync(
    path.relative(path.dirname(linkPath), target),
    linkPath,
    'dir',
  );
}

/** Unpacks the bundle; returns the directory of the unpacked backend package. */
async function unpackBundle() {
  if (!bundleExists()) {
    throw new Error(
      'packages/backend/dist/bundle.tar.gz is missing: run `node scripts/production/build.js` (or start without --skip-build)',
    );
  }
  fs.rmSync(TARGET, { recursive: true, force: true });
  fs.mkdirSync(TARGET, { recursive: true });
  await tar.extract({ file: path.join(DIST, 'skeleton.tar.gz'), cwd: TARGET });
  await tar.extract({ file: path.join(DIST, 'bundle.tar.gz'), cwd: TARGET });
  for (const dir of workspacePackageDirs(TARGET)) {
    const { name } = JSON.parse(
      fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
    );
    link(dir, path.join(TARGET, 'node_modules', name));
    // versions npm had to nest under a workspace package (not hoisted) come along
    const nested = path.join(root, path.relative(TARGET, dir), 'node_modules');
    if (fs.existsSync(nested)) link(nested, path.join(dir, 'node_modules'));
  }
  return path.join(TARGET, 'packages/backend');
}

module.exports = { unpackBundle, bundleExists, BUNDLE_DIR: TARGET };
