import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  CatalogProcessorParser,
  CatalogProcessorResult,
  catalogLocationsExtensionPoint,
  catalogProcessingExtensionPoint,
  processingResult,
} from '@backstage/plugin-catalog-node';
import type { LocationSpec } from '@backstage/plugin-catalog-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readTelehealthConfig } from './config';

/**
 * Location type of repositories published by `telehealth:publish:local`.
 * @public
 */
export const LOCAL_REPO_LOCATION_TYPE = 'careplane-local-repo';

const REPO_NAME = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;

/**
 * The `catalog-info.yaml` of a local repository that `target` names, or undefined when `target` is
 * anything else (another file, a path outside `root`).
 * @internal
 */
export function resolveLocalRepoCatalogInfo(
  root: string,
  target: string,
): string | undefined {
  const file = path.resolve(target);
  const repo = path.basename(path.dirname(file));
  const expected = path.join(root, repo, 'catalog-info.yaml');
  return REPO_NAME.test(repo) && file === expected ? file : undefined;
}

/**
 * Reads `<localDirectory>/<repo>/catalog-info.yaml` and nothing else. Unlike allowing the
 * catalog's `file` type for registration, a user cannot make the catalog read arbitrary files on
 * the backend host.
 * @internal
 */
export class LocalRepoProcessor implements CatalogProcessor {
  constructor(private readonly root: string) {}

  getProcessorName() {
    return 'CareplaneLocalRepoProcessor';
  }

  /** The file a target may name, or undefined when it is outside the local repositories. */
  resolve(target: string): string | undefined {
    return resolveLocalRepoCatalogInfo(this.root, target);
  }

  async readLocation(
    location: LocationSpec,
    optional: boolean,
    emit: CatalogProcessorEmit,
    parser: CatalogProcessorParser,
  ): Promise<boolean> {
    if (location.type !== LOCAL_REPO_LOCATION_TYPE) return false;
    const file = this.resolve(location.target);
    if (!file) {
      emit(
        processingResult.inputError(
          location,
          `${location.target} is not the catalog-info.yaml of a local repository under ${this.root}`,
        ),
      );
      return true;
    }
    let data: Buffer;
    try {
      data = await fs.readFile(file);
    } catch {
      if (!optional) {
        emit(
          processingResult.notFoundError(location, `${file} does not exist`),
        );
      }
      return true;
    }
    // One repository, one service: a file with several documents (e.g. a template value that
    // smuggled in `---` and a second entity) is refused whole, and so is any kind but Component
    // (a Location here would make the catalog read further targets on this host's behalf).
    const documents = parseAllDocuments(data.toString('utf8')).length;
    if (documents > 1) {
      emit(
        processingResult.inputError(
          location,
          `${file} holds ${documents} YAML documents; a local repository's catalog-info.yaml must be exactly one Component entity, so none of them was read. Remove the extra documents ('---').`,
        ),
      );
      return true;
    }
    const results: CatalogProcessorResult[] = [];
    for await (const result of parser({ data, location })) {
      results.push(result);
    }
    for (const result of results) {
      if (result.type === 'entity' && result.entity.kind !== 'Component') {
        emit(
          processingResult.inputError(
            location,
            `${file} holds a ${result.entity.kind} entity; only a Component is read from a local repository.`,
          ),
        );
        return true;
      }
    }
    for (const result of results) emit(result);
    return true;
  }
}

/**
 * Catalog module that lets the scaffolder register locally published repositories (development
 * publishing without network). Does nothing unless `scaffolder.telehealth.publish.provider` is
 * `local`; then registrable location types are `url` and `careplane-local-repo`.
 * @public
 */
export const catalogModuleTelehealthLocalRepos = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'telehealth-local-repos',
  register(reg) {
    reg.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        processing: catalogProcessingExtensionPoint,
        locations: catalogLocationsExtensionPoint,
      },
      async init({ rootConfig, processing, locations }) {
        const config = readTelehealthConfig(rootConfig);
        if (config.publish.provider !== 'local') return;
        locations.setAllowedLocationTypes(['url', LOCAL_REPO_LOCATION_TYPE]);
        processing.addProcessor(
          new LocalRepoProcessor(config.publish.localDirectory),
        );
      },
    });
  },
});
