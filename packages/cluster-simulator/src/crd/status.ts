import type { JsonObject, K8sObject } from '../util';

/**
 * The status the apiextensions-apiserver controllers give a new CRD: the
 * naming controller accepts the names (pkg/controller/status/naming_controller.go,
 * NamesAccepted / NoConflicts) and the establishing controller marks it
 * Established (pkg/controller/establish/establishing_controller.go,
 * InitialNamesAccepted); storedVersions lists the storage version.
 */
export function establishedStatus(crd: K8sObject, now: string): JsonObject {
  const versions: any[] = crd.spec?.versions ?? [];
  const storage = versions.find(v => v.storage) ?? versions[0];
  return {
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: now,
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: now,
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    acceptedNames: { ...crd.spec?.names },
    storedVersions: storage ? [String(storage.name)] : [],
  };
}
