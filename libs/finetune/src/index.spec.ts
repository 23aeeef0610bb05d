import * as api from './index';

describe('@tuneline/finetune public API', () => {
  it('exports only the curated names, each defined (no wildcard re-export of internals)', () => {
    const names = Object.keys(api).sort();
    expect(names).toEqual([
      'DEFAULT_MAX_TEXT_CHARS', 'DEFAULT_TRAIN_OPTIONS', 'DatasetError', 'EMBEDDING_OUTPUT', 'EmbeddingCache', 'EncoderGraphError', 'FIELD_FLAGS',
      'FUSED_EMBEDDING_MIN_COSINE', 'FUSED_HEAD_TOLERANCE', 'MAX_ENCODER_OPSET', 'MIN_ENCODER_OPSET', 'PAIR_TEXT_SEPARATOR', 'PREDICT_CHUNK_SIZE',
      'PROBABILITIES_OUTPUT', 'REPORT_FILES', 'TASK_KINDS', 'TaskMismatchError', 'calibrationReport', 'classCounts', 'confusionChartSvg',
      'confusionMatrixSvg', 'embedTexts', 'evaluate', 'evaluateModelOnFile', 'expectedCalibrationError', 'finetune', 'fitTemperature',
      'fuseHeadIntoEncoder', 'headWeights', 'joinPairText', 'lineChartSvg', 'loadDataset', 'lossChartSvg', 'metricsChartSvg', 'nextVersion',
      'openPredictor', 'predictLogits', 'predictTexts', 'preflightEncoder', 'readTaskRows', 'renderPng', 'resolveTrainedModelDir',
      'stratifiedSplit', 'trainHead', 'trainingReportMarkdown', 'validateTrainOptions', 'verifyFusedGraph', 'writeTrainingReport',
      // Feature ranking heads (the recommender's): train, merge, export, score.
      'DEFAULT_FEATURE_HEAD_OPTIONS', 'FEATURES_INPUT', 'FEATURE_HEAD_OPSET', 'SCORE_OUTPUT', 'compileFeatureHead', 'featureHeadGraph',
      'featureNormalization', 'groupAuc', 'groupNdcg', 'mergeFeatureHeads', 'normalizeRows', 'scoreFeatureRows', 'trainFeatureHead',
      'validateFeatureHeadOptions', 'writeFeatureModelDir',
      // Encoder fine-tuning (LoRA / top layers): engines, graph reading, hidden-state cache, training, merge, int8.
      'BertGraphError', 'DEFAULT_ENCODER_TRAIN_OPTIONS', 'defaultLayers', 'HiddenStateCache', 'JsMatmulEngine', 'OrtMatmulEngine', 'TunedEncoder', 'encodeSplit',
      'encoderTrainOptions', 'hiddenBatch', 'hiddenStates', 'quantizeDynamicInt8', 'readBertGraph', 'trainEncoder', 'writeMergedEncoder',
      // The exemplar vote fused into classifiers (ADR 0022): options, the exemplar set and its graph nodes.
      'DEFAULT_EXEMPLAR_OPTIONS', 'ExemplarPlanError', 'MAX_EXEMPLARS', 'MAX_EXEMPLAR_K', 'validateExemplarOptions', 'parseExemplarSpec', 'buildExemplarSet', 'exemplarVoteNodes',
    ].sort());
    for (const name of names) expect(api[name as keyof typeof api]).toBeDefined();
  });

  it('keeps internals private: math, losses, optimiser and raw row reading', () => {
    for (const internal of ['softmaxRows', 'createRng', 'AdamW', 'softmaxCrossEntropy', 'readRows', 'createParameter', 'buildSyntheticEncoder']) {
      expect(api).not.toHaveProperty(internal);
    }
  });
});
