export * from './constants';
export * from './sseParser';
export * from './readSse';
export * from './reconnectPolicy';
export * from './runClustersStream';
export * from './freshness';
