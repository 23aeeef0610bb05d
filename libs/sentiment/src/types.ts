/**
 * Types shared by every part of @tuneline/sentiment (enrichment, alerting, serving) and
 * by apps/sentiment-monitor. Field names follow the contract (issue 12).
 */
export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export type WindowKind = 'entity' | 'topic';
export type AlertSeverity = 'warning' | 'critical';
export type AlertRule = 'negative-share' | 'negative-volume';
export interface LabelScore { readonly label: string; readonly score: number }
/** One item as stage 2 sees it, once per window key. */
export interface WindowEvent {
  readonly key: string;            // `entity:<name>` or `topic:<name>`
  readonly kind: WindowKind;
  readonly name: string;           // entity or topic name
  readonly itemId: string;
  readonly eventTimeMs: number;    // published_at
  readonly sentiment: SentimentLabel;
  readonly negativeProb: number;
  readonly title: string;          // ≤ 300 chars
  readonly modelVersion: string;   // "<model>@<version>"
  /**
   * Where the item entered the pipeline: its news.raw partition ("3"). Each source is
   * ordered in itself but sources interleave at their own paces, so the engine tracks each
   * source's progress. "" for records written before sources existed (one source).
   */
  readonly source: string;
}
export interface Headline { readonly id: string; readonly title: string; readonly negativeProb: number }
export interface SentimentAlert {
  readonly alertId: string; readonly kind: WindowKind; readonly name: string; readonly key: string;
  readonly windowStart: string; readonly windowEnd: string;   // ISO
  readonly totalCount: number; readonly negativeCount: number; readonly negativeShare: number;
  readonly baselineNegativeShare: number; readonly baselineStd: number;
  readonly zScore: number;              // of the negative share
  readonly volumeZScore: number;        // of the negative count
  readonly surgeRatio: number;
  readonly rule: AlertRule; readonly severity: AlertSeverity;
  readonly topHeadlines: readonly Headline[];   // ≤ 5, most negative first
  readonly modelVersion: string;
  readonly triggerItemId: string;       // the item whose arrival fired it (latency measurement)
  readonly eventTime: string;           // ISO event time of the trigger item
}
