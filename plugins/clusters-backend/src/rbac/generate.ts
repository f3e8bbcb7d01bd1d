/*
 * Writes deploy/rbac/careplane-cluster.yaml from the gateway's kinds and write scope:
 *   npm run generate:rbac (repository root)
 */
/* eslint-disable no-restricted-syntax -- run from source, never from a build: __dirname is fine */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { careplaneClusterRbacYaml } from './manifests';

/** The committed file the generator writes and the test compares. */
export const RBAC_FILE = resolve(
  __dirname,
  '../../../../deploy/rbac/careplane-cluster.yaml',
);

if (require.main === module) {
  writeFileSync(RBAC_FILE, careplaneClusterRbacYaml());
  process.stdout.write(`wrote ${RBAC_FILE}\n`);
}
