export * from './create-shutdown';
