/** Plain values of the service ↔ generated tuneline.sentiment.v1 messages. */
import { sentimentV1 } from '@tuneline/proto';
import type { AlertDelivery, AlertSeverity, EntitySentiment, SentimentLabel, TopicMethod } from '@tuneline/sentiment';
import type { StoredAlert } from '../serving/stored-alert';
import type { TextScoreResult } from '../scoring/score-texts';

const SENTIMENT: Record<SentimentLabel, sentimentV1.Sentiment> = {
  negative: sentimentV1.Sentiment.SENTIMENT_NEGATIVE,
  neutral: sentimentV1.Sentiment.SENTIMENT_NEUTRAL,
  positive: sentimentV1.Sentiment.SENTIMENT_POSITIVE,
};
const TOPIC_METHOD: Record<TopicMethod, sentimentV1.TopicMethod> = {
  classifier: sentimentV1.TopicMethod.TOPIC_METHOD_CLASSIFIER,
  'embedding-similarity': sentimentV1.TopicMethod.TOPIC_METHOD_EMBEDDING_SIMILARITY,
};
const SEVERITY_OUT: Record<AlertSeverity, sentimentV1.AlertSeverity> = {
  warning: sentimentV1.AlertSeverity.ALERT_SEVERITY_WARNING,
  critical: sentimentV1.AlertSeverity.ALERT_SEVERITY_CRITICAL,
};
const RULE_OUT: Record<StoredAlert['rule'], sentimentV1.AlertRule> = {
  'negative-share': sentimentV1.AlertRule.ALERT_RULE_NEGATIVE_SHARE,
  'negative-volume': sentimentV1.AlertRule.ALERT_RULE_NEGATIVE_VOLUME,
};

export function textScoreOf(r: TextScoreResult): sentimentV1.TextScore {
  return {
    id: r.id,
    topic: r.topic,
    sentiment: SENTIMENT[r.sentiment],
    score: r.score,
    sentimentScores: r.sentimentScores.map(({ label, score }) => ({ label, score })),
    topicScores: r.topicScores.map(({ label, score }) => ({ label, score })),
    topicMethod: TOPIC_METHOD[r.topicMethod],
  };
}

/**
 * The filter's min_severity as the shared filter parser reads it: unspecified = no filter;
 * an unknown number is passed through as text, so the parser refuses it naming the field.
 */
export function severityFilterOf(severity: sentimentV1.AlertSeverity): string | undefined {
  switch (severity) {
    case sentimentV1.AlertSeverity.ALERT_SEVERITY_UNSPECIFIED:
      return undefined;
    case sentimentV1.AlertSeverity.ALERT_SEVERITY_WARNING:
      return 'warning';
    case sentimentV1.AlertSeverity.ALERT_SEVERITY_CRITICAL:
      return 'critical';
    default:
      return `severity ${String(severity)}`;
  }
}

/** `<model>@<version>` → ModelRef (the version is after the last @). */
function modelRefOf(modelVersion: string): { name: string; version: string } {
  const at = modelVersion.lastIndexOf('@');
  return at < 0 ? { name: modelVersion, version: '' } : { name: modelVersion.slice(0, at), version: modelVersion.slice(at + 1) };
}

export function alertOf(a: StoredAlert): sentimentV1.Alert {
  return {
    alertId: a.alertId,
    entity: a.kind === 'entity' ? a.name : '',
    topic: a.kind === 'topic' ? a.name : '',
    windowStart: new Date(a.windowStart),
    windowEnd: new Date(a.windowEnd),
    totalCount: a.totalCount,
    negativeCount: a.negativeCount,
    negativeShare: a.negativeShare,
    baselineNegativeShare: a.baselineNegativeShare,
    zScore: a.zScore,
    surgeRatio: a.surgeRatio,
    exampleIds: a.topHeadlines.map((h) => h.id),
    raisedAt: new Date(a.raisedAt),
    severity: SEVERITY_OUT[a.severity],
    rule: RULE_OUT[a.rule],
    kind: a.kind === 'entity' ? sentimentV1.AlertKind.ALERT_KIND_ENTITY : sentimentV1.AlertKind.ALERT_KIND_TOPIC,
    topHeadlines: a.topHeadlines.map((h) => ({ id: h.id, title: h.title, negativeProbability: h.negativeProb })),
    model: modelRefOf(a.modelVersion),
    volumeZScore: a.volumeZScore,
    baselineStd: a.baselineStd,
    triggerItemId: a.triggerItemId,
    triggerEventTime: new Date(a.eventTime),
  };
}

export function streamAlertsResponseOf(d: AlertDelivery<StoredAlert>): sentimentV1.StreamAlertsResponse {
  return { alert: alertOf(d.alert), resumeToken: d.resumeToken, gap: d.gap };
}

export function entitySentimentResponseOf(s: EntitySentiment): sentimentV1.GetEntitySentimentResponse {
  return {
    entity: s.entity,
    windowSeconds: s.windowSeconds,
    windowStart: new Date(s.windowStartMs),
    windowEnd: new Date(s.windowEndMs),
    totalCount: s.totalCount,
    positiveCount: s.positiveCount,
    neutralCount: s.neutralCount,
    negativeCount: s.negativeCount,
    meanScore: s.meanScore,
  };
}
