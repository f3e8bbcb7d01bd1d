/*
 * The data transfer objects of the clusters plugin are inferred from the zod schemas of the HTTP
 * contract in ./contract (see the README, "API contract"); this module keeps the old import path.
 */
export * from './contract';
