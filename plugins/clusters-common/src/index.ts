/**
 * Permissions, DTOs and annotation constants of the Careplane clusters plugin.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './permissions';
export * from './types';
export * from './kinds';
export * from './selectors';
export * from './summaries';
export * from './stream';
