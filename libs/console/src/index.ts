// Public API of @tuneline/console: the console BFF's transport-free logic (request checks,
// gRPC → JSON mapping, SSE framing, service errors, the alert hub and model tracking) and the
// gRPC adapters to the three services. apps/console wires it into Nest.
export * from './types';
export * from './sse';
export * from './requests';
export * from './backend-errors';
export * from './backends';
export * from './mapping';
export * from './grpc-backends';
export * from './entity-series';
export * from './alert-hub';
export * from './models-tracker';
export * from './models-follower';
export * from './console-facade';
