import { readFileSync } from 'node:fs';
import { RBAC_FILE } from './generate';
import { careplaneClusterRbacYaml } from './manifests';
import { careplaneClusterRules } from './rules';
import { DEFAULT_WRITE_SCOPE } from '../services/WriteScope/WriteScope';

describe('deploy/rbac/careplane-cluster.yaml', () => {
  it('is what the generator writes from the kind registry and write scope (run `npm run generate:rbac` after changing them)', () => {
    expect(readFileSync(RBAC_FILE, 'utf8')).toBe(careplaneClusterRbacYaml());
  });

  it('grants writes on the owner kinds only, and never Secrets or RBAC', () => {
    const { read, write } = careplaneClusterRules();
    const writable = write
      .filter(r => r.verbs.includes('delete'))
      .flatMap(r => r.resources);
    expect(writable).toHaveLength(DEFAULT_WRITE_SCOPE.ownerKinds.length);
    const all = [...read, ...write].flatMap(r => r.resources);
    expect(all).not.toContain('secrets');
    expect(all).not.toContain('serviceaccounts/token');
    expect(all).not.toContain('*');
    const rbacWrites = write.filter(r =>
      r.apiGroups.includes('rbac.authorization.k8s.io'),
    );
    expect(rbacWrites).toEqual([]);
    expect(
      [...read, ...write].flatMap(r => r.verbs).filter(v => v === '*'),
    ).toEqual([]);
  });
});
