/**
 * Web library of the Careplane clusters plugin: the API client of `/api/clusters` and the hooks
 * that frontends share, including live objects over the tab's single SSE stream.
 *
 * @packageDocumentation
 */

export * from './api';
export * from './hooks';
export type {
  ClustersStreamListener,
  ClustersStreamOptions,
  StreamConnectionState,
} from './stream';
