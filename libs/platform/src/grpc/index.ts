export * from './call-context';
export * from './handler-wrappers';
export * from './grpc-server';
export * from './grpc-client';
export * from './service-types';
export * from './tls';
export { raceAbort } from './abort';
