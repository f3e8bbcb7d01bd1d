/*
 * The production build of Careplane: the frontend (packages/app) and the backend bundle
 * (packages/backend/dist/bundle.tar.gz + skeleton.tar.gz), the two files Backstage's Dockerfile
 * copies into the image (https://backstage.io/docs/deployment/docker, "host build").
 *
 * `backstage-cli package build` in packages/backend does exactly this with Yarn: it runs
 * `yarn run build` in the app (a bundled package) and copies yarn.lock into the bundle. This
 * repository uses npm workspaces (no Yarn, no yarn.lock: /work/shared/TOOLCHAIN.md), so this script
 * runs the same Backstage CLI steps in the same order, building the app with
 * `backstage-cli package build` first and shipping package-lock.json instead of yarn.lock.
 */
const { spawnSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const fs = require('fs-extra');
const tar = require('tar');

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'node_modules/@backstage/cli/bin/backstage-cli');
const buildLib = path.join(
  root,
  'node_modules/@backstage/cli-module-build/dist/lib',
);

function log(message) {
  process.stdout.write(`[build:production] ${message}\n`);
}

/** `backstage-cli package build` in packages/app (what createDistWorkspace runs through Yarn). */
function buildApp() {
  const started = Date.now();
  log('building the frontend (packages/app)');
  const result = spawnSync(process.execPath, [cli, 'package', 'build'], {
    cwd: path.join(root, 'packages/app'),
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    throw new Error(`the frontend build failed (exit code ${result.status})`);
  }
  log(`frontend built in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** buildBackend of @backstage/cli-module-build, with package-lock.json instead of yarn.lock. */
async function buildBackendBundle() {
  const started = Date.now();
  const backendDir = path.join(root, 'packages/backend');
  // The Backstage CLI resolves the repository from the working directory.
  process.chdir(backendDir);
  const { buildPackage } = require(`${buildLib}/builder/packager.cjs.js`);
  const { Output } = require(`${buildLib}/builder/types.cjs.js`);
  const {
    createDistWorkspace,
  } = require(`${buildLib}/packager/createDistWorkspace.cjs.js`);
  const { PackageGraph } = require('@backstage/cli-node');
  const pkg = await fs.readJson(path.join(backendDir, 'package.json'));
  log('building the backend and its workspace dependencies');
  await buildPackage({
    targetDir: backendDir,
    packageJson: pkg,
    outputs: new Set([Output.cjs]),
    minify: false,
    workspacePackages: await PackageGraph.listTargetPackages(),
  });
  const tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'backstage-bundle'));
  try {
    await createDistWorkspace([pkg.name], {
      targetDir: tmpDir,
      configPaths: [],
      buildDependencies: true,
      // the backend was built above, the app by buildApp()
      buildExcludes: [pkg.name, 'app'],
      files: ['package.json', 'package-lock.json'],
      skeleton: 'skeleton.tar.gz',
    });
    const distDir = path.join(backendDir, 'dist');
    await fs.remove(distDir);
    await fs.mkdir(distDir);
    await fs.move(
      path.join(tmpDir, 'skeleton.tar.gz'),
      path.join(distDir, 'skeleton.tar.gz'),
    );
    await tar.create(
      {
        file: path.join(distDir, 'bundle.tar.gz'),
        cwd: tmpDir,
        portable: true,
        noMtime: true,
        gzip: true,
      },
      [''],
    );
  } finally {
    await fs.remove(tmpDir);
    process.chdir(root);
  }
  log(
    `backend bundle built in ${Math.round(
      (Date.now() - started) / 1000,
    )} s: packages/backend/dist/{bundle,skeleton}.tar.gz`,
  );
}

async function buildProduction() {
  buildApp();
  await buildBackendBundle();
}

module.exports = { buildProduction };

if (require.main === module) {
  buildProduction().catch(error => {
    process.stderr.write(`[build:production] ${error.stack ?? error}\n`);
    process.exit(1);
  });
}
