/**
 * Being built: see the package README.
 *
 * @packageDocumentation
 */

export {};
