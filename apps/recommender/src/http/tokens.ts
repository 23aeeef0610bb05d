/** Nest injection tokens of the app. */
export const RECOMMENDER_SERVICE = Symbol('RECOMMENDER_SERVICE');
export const BODY_OPTIONS = Symbol('BODY_OPTIONS');
