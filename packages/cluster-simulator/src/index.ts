/**
 * Kubernetes-API-compatible simulated clusters for Careplane development,
 * browser tests, benchmarks and in-process unit tests.
 *
 * @packageDocumentation
 */

export { startSimulator } from './server';
export type {
  StartSimulatorOptions,
  RunningSimulator,
  SimulatedClusterEndpoint,
  SimulatorTls,
} from './server';
export { Simulation } from './simulation';
export type { SimulationOptions, ClusterHandle } from './simulation';
export { SimulatedCluster, ApiError, statusBody } from './cluster';
export type {
  SimUser,
  SimNode,
  SimClock,
  StatusBody,
  ClusterOptions,
} from './cluster';
export { ClusterFaults } from './faults';
export type { FaultConfig } from './faults';
export {
  loadScenarioFile,
  parseScenario,
  ScenarioError,
  validateScenario,
} from './scenario';
export type {
  Scenario,
  ClusterScenario,
  AppSpec,
  TimelineEntry,
  MetricsScenario,
} from './scenario';
export { generateScaleScenario } from './scale';
export type { ScaleScenarioOptions } from './scale';
export { createSimulatorHandlers } from './msw';
export type { SimulatorHandlerOptions, SimulatorHandlers } from './msw';
export { calculateRolloutPhase } from './controllers/rollouts';
export { KNOWN_CRDS } from './resources';
export type { K8sObject } from './util';
