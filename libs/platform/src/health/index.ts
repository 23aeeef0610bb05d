export * from './health-registry';
export * from './grpc-health-service';
export * from './http-health';
