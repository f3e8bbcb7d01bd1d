/**
 * Common library of the Careplane training plugin: launch validation, manifests per runtime,
 * truthful run states, queue position, quota and cost maths, permissions, annotations, kinds and
 * the API contract.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './permissions';
export * from './kinds';
export * from './contract';
export * from './image';
export * from './env';
export * from './validate';
export * from './manifests';
export * from './conditions';
export * from './queue';
export * from './state';
export * from './cost';
export * from './quota';
export * from './metrics';
