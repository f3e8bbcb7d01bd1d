/**
 * The people a developer can be in the dev portal, one per side of the permission policy. Each
 * is a proxy sign-in provider of the auth backend: `guest` (app-config.yaml) and
 * `platform-admin` (packages/backend/src/auth/devPersonas.ts). Both refuse to sign anyone in
 * outside NODE_ENV=development and are not installed in production.
 */
export interface DevPersona {
  /** Auth provider id. */
  provider: string;
  name: string;
  role: string;
  description: string;
}

export const DEV_PERSONAS: DevPersona[] = [
  {
    provider: 'guest',
    name: 'Jordan Lee',
    role: 'Service engineer, Telehealth Video',
    description:
      "Owns video consultation, the session service and the triage assistant. Sees other teams' services read-only: their actions are disabled with the reason, and the API refuses them.",
  },
  {
    provider: 'platform-admin',
    name: 'Priya Shah',
    role: 'Platform admin',
    description:
      'May act on every service, write outside a service’s own scope (cluster-scoped kinds, system namespaces) and read the audit log.',
  },
];

/** Where the chosen persona is remembered, so a reload keeps the session. */
export const PERSONA_STORAGE_KEY = 'careplane.devPersona';
