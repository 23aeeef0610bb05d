/**
 * Paths of the project-made sample content under libs/support/samples: a banking
 * knowledge base, answer templates and (for Chinese) intent examples. The English
 * intents are libs/finetune/samples/support-intents.jsonl, which the templates key on.
 */
import { join, resolve } from 'node:path';
import { DEFAULT_RETRIEVAL_MIN_SCORE } from './config/support-options';

export const SUPPORT_SAMPLES_DIR = resolve(__dirname, '..', 'samples');
export const SAMPLE_LANGUAGES = ['en', 'zh'] as const;
export type SampleLanguage = (typeof SAMPLE_LANGUAGES)[number];

/**
 * Retrieval floor per sample language: the encoders' cosine scales differ (bge-small-zh-v1.5
 * scores the Chinese sample KB lower than bge-small-en does the English one; README).
 */
export const SAMPLE_RETRIEVAL_MIN_SCORE: Readonly<Record<SampleLanguage, number>> = { en: DEFAULT_RETRIEVAL_MIN_SCORE, zh: 0.45 };

export interface SampleContentPaths {
  readonly templates: string;
  readonly articlesDir: string;
}

export function sampleContentPaths(language: SampleLanguage, root = SUPPORT_SAMPLES_DIR): SampleContentPaths {
  return { templates: join(root, language, 'templates.json'), articlesDir: join(root, language, 'articles') };
}
