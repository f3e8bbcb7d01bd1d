export { ClustersStream } from './ClustersStream';
export type {
  ClustersStreamListener,
  ClustersStreamOptions,
  ClustersStreamTransport,
  StreamConnectionState,
} from './ClustersStream';
export { readSseMessages } from './sse';
export type { SseMessage } from './sse';
