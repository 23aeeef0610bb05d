export * from './create-shutdown';
export { runShutdownPlan, shutdownBudget, type ShutdownBudget, type ShutdownPlan, type StopStep } from './shutdown-plan';
