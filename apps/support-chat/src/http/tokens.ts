/** Nest injection tokens of the app. */
export const SUPPORT_CHAT_SERVICE = Symbol('SUPPORT_CHAT_SERVICE');
export const RETRY_AFTER_OPTIONS = Symbol('RETRY_AFTER_OPTIONS');
export const BODY_OPTIONS = Symbol('BODY_OPTIONS');
