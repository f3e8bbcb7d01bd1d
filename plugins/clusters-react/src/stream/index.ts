export { ClustersStream } from './ClustersStream';
export type {
  ClustersStreamListener,
  ClustersStreamOptions,
  ClustersStreamTransport,
  StreamConnectionState,
} from './ClustersStream';
