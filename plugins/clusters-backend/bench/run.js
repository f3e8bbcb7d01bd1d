#!/usr/bin/env node
/* Benchmark script (not a test). Runs from TypeScript sources like the simulator's CLI. */
require('@backstage/cli/config/nodeTransform.cjs');
require('./bench.ts')
  .runBenchmark()
  .then(() => process.exit(0))
  .catch(e => {
    process.stderr.write(`${e.stack || e}\n`);
    process.exit(1);
  });
