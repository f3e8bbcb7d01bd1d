/**
 * Node library of the Careplane clusters plugin: `clustersServiceRef` for feature backends and the
 * extension points of clusters-backend.
 *
 * @packageDocumentation
 */

export { clustersServiceRef } from './clustersServiceRef';
export * from './types';
export * from './extensions';
