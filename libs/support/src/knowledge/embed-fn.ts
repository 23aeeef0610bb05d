/**
 * The embedding function the knowledge base is given: libs/inference's
 * `Encoder.embed` in the app, a deterministic fake in unit tests.
 */
export type EmbedFn = (texts: readonly string[]) => Promise<Float32Array[]>;
