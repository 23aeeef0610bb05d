export * from './config-error';
export * from './env-fields';
export * from './platform-config';
export * from './kafka-security-config';
export * from './load-config';
