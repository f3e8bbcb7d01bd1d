export * from './gpuTypes';
export * from './launch';
export * from './runs';
export * from './usage';
export * from './routes';
