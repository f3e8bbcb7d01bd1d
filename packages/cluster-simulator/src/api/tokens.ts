import type { SimulatedCluster } from '../cluster';
import type { K8sObject } from '../util';

/** A service-account token issued through TokenRequest. */
interface IssuedToken {
  namespace: string;
  name: string;
  uid: string;
  /** Expiry, epoch seconds of the simulated clock. */
  exp: number;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * Tokens minted by TokenRequest (serviceaccounts/token). They are JWT-shaped
 * (the claims kube-apiserver's issuer puts in, kubernetes
 * pkg/serviceaccount/claims.go) but not signed: the simulator only accepts
 * tokens it issued, until they expire on the simulated clock or their
 * service account is deleted (a bound token dies with its object).
 */
export class ServiceAccountTokens {
  private readonly issued = new Map<string, IssuedToken>();

  constructor(private readonly cluster: SimulatedCluster) {}

  /** The service account a token stands for, while valid. */
  resolve(token: string): { namespace: string; name: string } | undefined {
    const t = this.issued.get(token);
    if (!t || t.exp * 1000 <= this.cluster.clock.now()) return undefined;
    const sa = this.cluster.store.get('serviceaccounts', t.namespace, t.name);
    if (!sa || sa.metadata.uid !== t.uid) return undefined;
    return { namespace: t.namespace, name: t.name };
  }

  /** Mints a token for a service account. */
  issue(sa: K8sObject, audiences: string[], exp: number): string {
    const { cluster } = this;
    const iat = Math.floor(cluster.clock.now() / 1000);
    const ns = sa.metadata.namespace!;
    const name = sa.metadata.name!;
    const token = [
      base64url({ alg: 'RS256', kid: `careplane-sim-${cluster.name}` }),
      base64url({
        aud: audiences,
        exp,
        iat,
        iss: 'https://kubernetes.default.svc.cluster.local',
        jti: cluster.rng.uuid(),
        'kubernetes.io': {
          namespace: ns,
          serviceaccount: { name, uid: sa.metadata.uid },
        },
        nbf: iat,
        sub: `system:serviceaccount:${ns}:${name}`,
      }),
      Buffer.from(cluster.rng.uuid()).toString('base64url'),
    ].join('.');
    this.issued.set(token, { namespace: ns, name, uid: sa.metadata.uid!, exp });
    return token;
  }
}
