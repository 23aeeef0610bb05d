// Test doubles of @tuneline/support, for this lib's specs and the app's: import from
// '@tuneline/support/testing', never from production code.
export { FakeClock } from './testing/fake-clock';
export { FakeIntentClassifier, type FakeIntentRule } from './testing/fake-intent-classifier';
export { hashingEmbedder } from './testing/hashing-embedder';
