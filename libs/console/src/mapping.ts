/**
 * Generated gRPC messages (libs/proto, ts-proto with Dates and enums as numbers) → the
 * console's JSON (types.ts). Enums become lower-case names, Dates ISO strings, scores are
 * kept as numbers (the SPA formats them).
 */
import { commonV1, recommendV1, sentimentV1, supportV1 } from '@tuneline/proto';
import type { AlertJson, AlertSeverityName, ChatTurnJson, ModelRefJson, RankedItemJson, RankingJson } from './types';

export function modelRefOf(ref: commonV1.ModelRef | undefined): ModelRefJson | undefined {
  return ref && ref.name !== '' ? { name: ref.name, version: ref.version } : undefined;
}

const withModel = (ref: commonV1.ModelRef | undefined): { model?: ModelRefJson } => {
  const model = modelRefOf(ref);
  return model ? { model } : {};
};

export function chatTurnOf(res: supportV1.ChatResponse): ChatTurnJson {
  return {
    sessionId: res.sessionId,
    reply: res.reply,
    intent: res.intent,
    confidence: res.confidence,
    handoff: res.handoff,
    citations: res.citations.map((c) => ({ passageId: c.passageId, title: c.title, text: c.text, score: c.score })),
    topIntents: res.topIntents.map((t) => ({ label: t.label, score: t.score })),
    ...withModel(res.model),
  };
}

export function severityName(s: sentimentV1.AlertSeverity): AlertSeverityName {
  switch (s) {
    case sentimentV1.AlertSeverity.ALERT_SEVERITY_WARNING:
      return 'warning';
    case sentimentV1.AlertSeverity.ALERT_SEVERITY_CRITICAL:
      return 'critical';
    default:
      return 'unspecified';
  }
}

export function severityOf(name: 'warning' | 'critical' | undefined): sentimentV1.AlertSeverity {
  if (name === 'critical') return sentimentV1.AlertSeverity.ALERT_SEVERITY_CRITICAL;
  if (name === 'warning') return sentimentV1.AlertSeverity.ALERT_SEVERITY_WARNING;
  return sentimentV1.AlertSeverity.ALERT_SEVERITY_UNSPECIFIED;
}

const iso = (d: Date | undefined): string | undefined => (d && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined);

export function alertOf(a: sentimentV1.Alert): AlertJson {
  const windowStart = iso(a.windowStart);
  const windowEnd = iso(a.windowEnd);
  const raisedAt = iso(a.raisedAt);
  return {
    alertId: a.alertId,
    entity: a.entity,
    topic: a.topic,
    kind: a.kind === sentimentV1.AlertKind.ALERT_KIND_ENTITY ? 'entity' : a.kind === sentimentV1.AlertKind.ALERT_KIND_TOPIC ? 'topic' : 'unspecified',
    rule:
      a.rule === sentimentV1.AlertRule.ALERT_RULE_NEGATIVE_SHARE
        ? 'negative_share'
        : a.rule === sentimentV1.AlertRule.ALERT_RULE_NEGATIVE_VOLUME
          ? 'negative_volume'
          : 'unspecified',
    severity: severityName(a.severity),
    ...(windowStart ? { windowStart } : {}),
    ...(windowEnd ? { windowEnd } : {}),
    ...(raisedAt ? { raisedAt } : {}),
    totalCount: a.totalCount,
    negativeCount: a.negativeCount,
    negativeShare: a.negativeShare,
    baselineNegativeShare: a.baselineNegativeShare,
    zScore: a.zScore,
    headlines: a.topHeadlines.map((h) => ({ id: h.id, title: h.title, negativeProbability: h.negativeProbability })),
    ...withModel(a.model),
  };
}

export function rankedItemOf(item: recommendV1.RankedItem): RankedItemJson {
  return {
    itemId: item.itemId,
    title: item.title || item.itemId,
    score: item.score,
    rank: item.rank,
    reasons: item.reasons.map((r) => ({ name: r.name, value: r.value })),
  };
}

export function rankingOf(userId: string, res: recommendV1.RecommendResponse | recommendV1.RankResponse): RankingJson {
  return {
    userId,
    items: res.items.map(rankedItemOf),
    coldStart: 'coldStart' in res ? res.coldStart : false,
    rules: res.rules.map((r) => ({ rule: r.rule, explanation: r.explanation, affected: r.affected })),
    ...withModel(res.model),
  };
}

export const FEEDBACK_TYPES: Record<'click' | 'like' | 'skip' | 'purchase' | 'view', recommendV1.FeedbackType> = {
  click: recommendV1.FeedbackType.FEEDBACK_TYPE_CLICK,
  like: recommendV1.FeedbackType.FEEDBACK_TYPE_LIKE,
  skip: recommendV1.FeedbackType.FEEDBACK_TYPE_SKIP,
  purchase: recommendV1.FeedbackType.FEEDBACK_TYPE_PURCHASE,
  view: recommendV1.FeedbackType.FEEDBACK_TYPE_VIEW,
};
