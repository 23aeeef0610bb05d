export * from './http-codes';
export * from './platform-middleware';
export * from './http-error.filter';
export * from './platform.module';
export * from './json-body.middleware';
