export * from './redis-supervisor';
