import { ev, fail, notApplicable, pass, podSpecOf, POD_KINDS } from '../pod';
import type { ComplianceCheck } from '../types';
import { clusterFact } from './clusterFacts';
import { ingressesOf } from './transmission';

const AUTH_ANNOTATIONS = [
  'nginx.ingress.kubernetes.io/auth-url',
  'nginx.ingress.kubernetes.io/auth-type',
  'nginx.ingress.kubernetes.io/auth-tls-verify-client',
  'traefik.ingress.kubernetes.io/router.middlewares',
  'alb.ingress.kubernetes.io/auth-type',
];

/** Person or entity authentication checks (164.312(d)). @public */
export const authenticationChecks: ComplianceCheck[] = [
  {
    id: 'K8S-AUTH-001',
    version: 1,
    title: 'Anonymous auth disabled (cluster)',
    severity: 'critical',
    category: 'authentication',
    rationale:
      'Anonymous requests to the API server or kubelet are unauthenticated access to PHI-bearing objects.',
    remediation: {
      text: 'Set --anonymous-auth=false and label the cluster compliance.careplane.io/anonymous-auth-disabled=true.',
      yaml: '--anonymous-auth=false',
    },
    applicability: { target: 'entity', entityKinds: ['Component', 'Resource'] },
    hipaa: ['164.312(d)'],
    anchors: {
      kubescape: 'C-0069, C-0262',
      trivy: 'KCV-0001, KCV-0079',
      cis: '1.2.1, 4.2.1',
    },
    evaluate: clusterFact('anonymous-auth-disabled', 'Anonymous auth disabled'),
  },
  {
    id: 'K8S-AUTH-002',
    version: 1,
    title: 'PHI Ingress requires authentication',
    severity: 'high',
    category: 'authentication',
    rationale:
      'A PHI endpoint reachable without authentication fails person or entity authentication.',
    remediation: {
      text: 'Put an auth proxy in front (auth-url) or require client certificates.',
      yaml: 'metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/auth-url: https://auth.example/oauth2/auth',
    },
    applicability: { target: 'workload', kinds: POD_KINDS, phiOnly: true },
    hipaa: ['164.312(d)'],
    anchors: { kubescape: 'C-0274', kyverno: 'require-authorizationpolicy' },
    needs: ['Service', 'Ingress'],
    evaluate: (o, ctx) => {
      if (!o || !podSpecOf(o)) return notApplicable('No pod template');
      const ingresses = ingressesOf(o, ctx);
      if (ingresses.length === 0)
        return notApplicable('No Ingress routes to the workload');
      const without = ingresses.filter(
        i => !AUTH_ANNOTATIONS.some(a => i.object.metadata.annotations?.[a]),
      );
      return without.length
        ? fail(
            'An Ingress has no authentication',
            without.map(i =>
              ev(i, 'metadata.annotations', 'no auth annotation'),
            ),
          )
        : pass(
            'Every Ingress authenticates',
            ingresses.map(i =>
              ev(i, 'metadata.annotations', 'auth annotation present'),
            ),
          );
    },
  },
];
