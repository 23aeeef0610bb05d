import type { IntentClassifier } from '../classification/intent-classifier';
import type { KnowledgeBase } from '../knowledge/knowledge-base';
import type { AnswerTemplates } from '../templates/answer-templates';

/** Everything one language needs: its classifier, its knowledge base and its templates. */
export interface LanguagePack {
  readonly classifier: IntentClassifier;
  readonly knowledge: KnowledgeBase;
  readonly templates: AnswerTemplates;
  /** Overrides options.retrievalMinScore: cosine scales differ between encoders (e.g. bge-small-zh scores lower). */
  readonly retrievalMinScore?: number;
}
