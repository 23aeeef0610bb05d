// Public API of @tuneline/platform: the service chassis every app composes in
// its main.ts (config, logs, metrics, health, auth, gRPC, HTTP, shutdown, a supervised Redis client).
export * from './config';
export * from './errors';
export * from './logging';
export * from './metrics';
export * from './health';
export * from './auth';
export * from './grpc';
export * from './http';
export * from './shutdown';
export * from './redis';
