/** Nest injection tokens of the console module. */
export const FACADE = Symbol('CONSOLE_FACADE');
export const HUB = Symbol('CONSOLE_ALERT_HUB');
export const MODELS = Symbol('CONSOLE_MODELS');
export const SSE_HEARTBEAT_MS = Symbol('CONSOLE_SSE_HEARTBEAT_MS');
export const MAX_BODY_BYTES = Symbol('CONSOLE_MAX_BODY_BYTES');
