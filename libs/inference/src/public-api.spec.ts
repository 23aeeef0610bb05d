import * as api from './index';

describe('@tuneline/inference public surface', () => {
  it('exports what other projects import', () => {
    // Values imported from '@tuneline/inference' across libs/, apps/ and tools/.
    const usedOutside = ['Classifier', 'DEFAULT_INPUT_LIMITS', 'DEFAULT_MODEL_NAME', 'Encoder', 'InvalidInputError', 'MODEL_ALIASES',
      'MODEL_CATALOG', 'MODEL_CONFIG_FILE', 'ModelFormatError', 'ModelNotFoundError', 'ModelRepository', 'TextTokenizer', 'catalogModelDir',
      'compareVersions', 'cosineSimilarity', 'createModelSession', 'defaultCacheRoot', 'fetchCatalogModel', 'findCatalogEntry', 'loadModelDir',
      'poolEmbeddings', 'pullFromHub', 'resolveModelDir', 'sha256File', 'streamToFile'];
    const missing = usedOutside.filter((name) => !(name in api));
    expect(missing).toEqual([]);
  });

  it('keeps internals and test helpers out of the main entry', () => {
    const internals = ['DynamicBatcher', 'selectBatch', 'selectProvider', 'withCpuFallback', 'providerLibraryMissing', 'ortBinaryDir',
      'validateBatcherOptions', 'checkTexts', 'fakeOrtSession', 'writeFakeModelDir'];
    expect(internals.filter((name) => name in api)).toEqual([]);
  });
});
