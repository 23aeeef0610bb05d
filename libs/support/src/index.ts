// Public API of @tuneline/support: the transport-free logic of the support chat
// (dialogue policy, knowledge base, slots, sessions). The app adds HTTP/SSE, gRPC,
// Redis and Kafka around SupportChatHandler.

export {
  TurnLimitError,
  TurnCancelledError,
  SessionHandedOffError,
  SessionConflictError,
  SessionStoreUnavailableError,
  SupportContentError,
  SupportError,
  ValidationError,
  NotFoundError,
  type SupportErrorCode,
  type SupportErrorOptions,
  type ValidationKind,
} from './errors';
export { systemClock, type Clock } from './clock';
export { languageOf } from './language';

export {
  resolveSupportOptions,
  DEFAULT_SUPPORT_OPTIONS,
  DEFAULT_CONFIDENCE_THRESHOLD,
  DEFAULT_RETRIEVAL_MIN_SCORE,
  DEFAULT_LOW_CONFIDENCE_HANDOFF_COUNT,
  DEFAULT_SESSION_TTL_MS,
  DEFAULT_MAX_TURNS,
  DEFAULT_MAX_MESSAGE_CHARS,
  DEFAULT_MAX_REASON_CHARS,
  DEFAULT_SENSITIVE_INTENTS,
  DEFAULT_HUMAN_INTENTS,
  DEFAULT_NEGATIVE_SENTIMENT_THRESHOLD,
  DEFAULT_SENTIMENT_TIMEOUT_MS,
  DEFAULT_MAX_CITATIONS,
  DEFAULT_TOP_INTENTS,
  DEFAULT_FOLLOW_UP_MAX_WORDS,
  type SupportOptions,
} from './config/support-options';
export { SUPPORT_INTENT_EXEMPLARS, type IntentExemplarOptions } from './config/intent-training';
export { validateSessionId, validateMessageText, validateLocale, SESSION_ID_PATTERN, echoValue, MAX_ECHOED_CHARS } from './validation/validate-request';

export { topIntents, type IntentClassifier, type IntentPrediction, type LabelScore } from './classification/intent-classifier';
export { scoreSentiment, type SentimentScorer, type SentimentOutcome } from './sentiment/sentiment-scorer';

export { extractSlots, mergeSlots } from './slots/extract-slots';
export { SLOT_PATTERNS, type SlotPattern } from './slots/slot-patterns';
export { redactCardNumbers, luhnValid, cardMask, CARD_MIN_DIGITS, CARD_MAX_DIGITS } from './slots/redact-card-numbers';
export type { SlotName, SlotValues, SlotContext } from './slots/slot-values';

export { compileTemplate, fillTemplate, type CompiledTemplate, type FilledTemplate } from './templates/template-text';
export { AnswerTemplates, HANDOFF_REASONS, REQUIRED_MESSAGES, type HandoffReason, type AnswerTemplatesJson } from './templates/answer-templates';

export type { Article, Passage, ScoredPassage } from './knowledge/article';
export type { EmbedFn } from './knowledge/embed-fn';
export { parseMarkdownArticle, parseJsonArticles } from './knowledge/parse-articles';
export { loadArticlesFromDir } from './knowledge/load-articles';
export { splitArticle, DEFAULT_PASSAGE_MAX_CHARS, type SplitOptions } from './knowledge/split-passages';
export { InMemoryEmbeddingCache, cachedEmbed, textHash, type EmbeddingCache, type CachedEmbedStats } from './knowledge/embedding-cache';
export { FileEmbeddingCache, type FileEmbeddingCacheOptions } from './knowledge/file-embedding-cache';
export { VectorMatrix, normalise, type VectorHit } from './knowledge/cosine-search';
export { KnowledgeBase, DEFAULT_EMBED_BATCH, type KnowledgeBaseOptions, type QueryEmbedding, type SearchOptions } from './knowledge/knowledge-base';

export { isHumanRequest, HUMAN_REQUEST_PATTERNS } from './dialogue/human-request';
export { looksLikeFollowUp, resolveIntent, type ResolvedIntent } from './dialogue/follow-up';
export { decideTurn, type PolicyInput, type PolicyDecision, type PolicyOptions } from './dialogue/dialogue-policy';

export { newSession, type SessionState, type TranscriptEntry, type HandoffInfo, type AnswerKind } from './session/session-state';
export type { SessionStore } from './session/session-store';
export { InMemorySessionStore, DEFAULT_MAX_SESSIONS, DEFAULT_MAX_SESSION_CHARS, DEFAULT_SWEEP_INTERVAL_MS, type InMemorySessionStoreOptions } from './session/in-memory-session-store';
export {
  RedisSessionStore,
  DEFAULT_REDIS_SESSION_KEY_PREFIX,
  type RedisSessionStoreOptions,
  type RedisSessionClient,
} from './session/redis-session-store';

export { deterministicTicketId, randomTicketId, type TicketIdFn } from './handoff/ticket-id';
export type { HandoffResult } from './handoff/handoff-result';

export type { LanguagePack } from './handler/language-pack';
export { SupportChatHandler, type SupportChatHandlerDeps } from './handler/support-chat-handler';
export {
  validateFeedbackRequest,
  MAX_FEEDBACK_COMMENT_CHARS,
  MAX_REQUEST_ID_CHARS,
  type FeedbackRequest,
  type FeedbackRecord,
} from './feedback/feedback';
export { conversationEventOf, feedbackEventOf, handoffEventOf } from './publishing/conversation-events';
export type {
  ChatTurnRequest,
  ChatReply,
  CitedPassage,
  ModelRef,
  Turn,
  TurnRecord,
  EndAction,
  EndSessionRequest,
  EndSessionResult,
} from './handler/turn-types';

export { SUPPORT_SAMPLES_DIR, SAMPLE_LANGUAGES, SAMPLE_RETRIEVAL_MIN_SCORE, sampleContentPaths, type SampleLanguage, type SampleContentPaths } from './samples';
