/**
 * Start-up step: the language pack the handler answers with — the sample knowledge base
 * embedded by the configured base encoder (through the on-disk embedding cache, so a restart
 * embeds nothing new), the answer templates, and the repository-backed intent classifier.
 */
import { join } from 'node:path';
import { Encoder, sha256File, type TextModelOptions } from '@tuneline/inference';
import type { Logger } from '@tuneline/platform';
import {
  AnswerTemplates,
  FileEmbeddingCache,
  KnowledgeBase,
  loadArticlesFromDir,
  sampleContentPaths,
  type IntentClassifier,
  type LanguagePack,
  type SampleLanguage,
} from '@tuneline/support';

export interface BuildLanguagePackOptions {
  readonly language: SampleLanguage;
  readonly encoderDir: string;
  readonly cacheRoot: string;
  readonly classifier: IntentClassifier;
  readonly modelOptions?: TextModelOptions;
  readonly logger: Logger;
}

export interface BuiltLanguagePack {
  readonly pack: LanguagePack;
  /** Disposes the encoder (on shutdown). */
  readonly encoder: Encoder;
}

export async function buildLanguagePack(o: BuildLanguagePackOptions): Promise<BuiltLanguagePack> {
  const started = Date.now();
  const encoder = await Encoder.load(o.encoderDir, { ...o.modelOptions, name: 'support-encoder' });
  try {
    const paths = sampleContentPaths(o.language);
    const [probe] = await encoder.embed(['dimension probe']);
    const cache = new FileEmbeddingCache(o.cacheRoot, { dim: probe?.length ?? 0 });
    const modelChecksum = await sha256File(join(o.encoderDir, 'model.onnx'));
    const knowledge = await KnowledgeBase.build(loadArticlesFromDir(paths.articlesDir), { embed: (t) => encoder.embed(t), modelChecksum, cache });
    const templates = AnswerTemplates.fromFile(paths.templates);
    o.logger.info(
      { language: o.language, passages: knowledge.size, cache: knowledge.buildStats, encoder: o.encoderDir, ms: Date.now() - started },
      'knowledge base ready',
    );
    // The retrieval minimum comes from the handler's options (SUPPORT_RETRIEVAL_MIN_SCORE), not a pack override.
    const pack: LanguagePack = { classifier: o.classifier, knowledge, templates };
    return { pack, encoder };
  } catch (err) {
    await encoder.dispose();
    throw err;
  }
}
