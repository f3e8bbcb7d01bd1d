import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  CatalogProcessorParser,
  catalogLocationsExtensionPoint,
  catalogProcessingExtensionPoint,
  processingResult,
} from '@backstage/plugin-catalog-node';
import type { LocationSpec } from '@backstage/plugin-catalog-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { readTelehealthConfig } from './config';

/**
 * Location type of repositories published by `telehealth:publish:local`.
 * @public
 */
export const LOCAL_REPO_LOCATION_TYPE = 'careplane-local-repo';

const REPO_NAME = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;

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
    const file = path.resolve(target);
    const repo = path.basename(path.dirname(file));
    const expected = path.join(this.root, repo, 'catalog-info.yaml');
    return REPO_NAME.test(repo) && file === expected ? file : undefined;
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
    for await (const result of parser({ data, location })) {
      emit(result);
    }
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
