export * from './news-raw';
export * from './sentiment-scored';
export * from './sentiment-alerts';
export * from './support-conversations';
export * from './support-handoff';
export * from './user-events';
export * from './model-published';
export * from './dlq-record';
