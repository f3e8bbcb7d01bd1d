/**
 * Common library of the Careplane migrations feature: its catalog annotations (with parse
 * functions that say what to fix) and the custom kinds it reads. The migration model, readers
 * and the backend come with the migrations issue.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './kinds';
