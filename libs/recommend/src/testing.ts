// Test helpers of @tuneline/recommend, for this lib's specs and the app's: import from
// '@tuneline/recommend/testing', never from production code.
export { syntheticRatings, toRatingsCsv, seededRandom, SAMPLE_RATINGS_OPTIONS, type SyntheticRatingsOptions } from './testing/synthetic-ratings';
export { hashingEmbed, sampleItemCatalog, HASHING_ENCODER_CHECKSUM } from './testing/hashing-embed';
