/** Nest injection tokens of the app. */
export const SUPPORT_CHAT_SERVICE = Symbol('SUPPORT_CHAT_SERVICE');
export const BODY_OPTIONS = Symbol('BODY_OPTIONS');
