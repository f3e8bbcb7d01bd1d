import { ConflictError, InputError } from '@backstage/errors';
import {
  builtInKinds,
  KindDescriptor,
  wellKnownCustomKinds,
} from '@careplane/plugin-clusters-common';

const PLURAL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Kinds the gateway can serve, by kind name: built in, well-known custom kinds, and kinds
 * registered by features or modules.
 * @internal
 */
export class KindRegistry {
  private readonly kinds = new Map<string, KindDescriptor>();

  constructor() {
    this.register([...builtInKinds, ...wellKnownCustomKinds]);
  }

  register(kinds: KindDescriptor[]) {
    for (const kind of kinds) {
      if (!kind.kind || !kind.version || !PLURAL.test(kind.plural ?? '')) {
        throw new InputError(`Invalid kind descriptor ${JSON.stringify(kind)}`);
      }
      const existing = this.kinds.get(kind.kind);
      if (
        existing &&
        (existing.group !== kind.group ||
          existing.version !== kind.version ||
          existing.plural !== kind.plural ||
          existing.namespaced !== kind.namespaced)
      ) {
        throw new ConflictError(
          `Kind ${kind.kind} is already registered as ${existing.plural}.${existing.group}/${existing.version}`,
        );
      }
      if (!existing) this.kinds.set(kind.kind, { ...kind });
    }
  }

  get(name: string): KindDescriptor {
    const kind = this.kinds.get(name);
    if (!kind)
      throw new InputError(`Unknown kind '${name}'; register it first`);
    return kind;
  }

  /** The descriptor for an object's apiVersion + kind, checking that they agree. */
  forManifest(
    apiVersion: string | undefined,
    kindName: string | undefined,
  ): KindDescriptor {
    const kind = this.get(kindName ?? '');
    const expected = kind.group
      ? `${kind.group}/${kind.version}`
      : kind.version;
    if (apiVersion !== expected) {
      throw new InputError(
        `Kind ${kind.kind} is served as apiVersion ${expected}, not ${apiVersion}`,
      );
    }
    return kind;
  }

  list(): KindDescriptor[] {
    return [...this.kinds.values()];
  }
}
