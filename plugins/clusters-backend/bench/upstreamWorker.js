require('@backstage/cli/config/nodeTransform.cjs');
require('./upstreamWorker.ts')
  .runUpstreamWorker()
  .catch(e => {
    process.stderr.write(`${e.stack || e}\n`);
    process.exit(1);
  });
