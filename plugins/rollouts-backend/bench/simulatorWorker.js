require('@backstage/cli/config/nodeTransform.cjs');
require('./simulatorWorker.ts')
  .runWorker()
  .catch(e => {
    process.stderr.write(`${e.stack || e}\n`);
    process.exit(1);
  });
