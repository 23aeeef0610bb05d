export * from './error-codes';
export * from './platform-errors';
export * from './status-mapping';
