/** Nest injection tokens of the app. */
export const ALERT_STREAM_DEPS = Symbol('ALERT_STREAM_DEPS');
