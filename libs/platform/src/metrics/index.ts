export * from './platform-metrics';
