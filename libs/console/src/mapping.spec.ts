import { recommendV1, sentimentV1, supportV1 } from '@tuneline/proto';
import { alertOf, chatTurnOf, rankingOf } from './mapping';

describe('gRPC → JSON mapping', () => {
  it('maps a chat turn with citations, handoff and model', () => {
    const res = supportV1.ChatResponse.fromPartial({
      sessionId: 's',
      reply: 'A human will help',
      intent: 'card_lost',
      confidence: 0.5,
      handoff: true,
      citations: [{ passageId: 'p1', title: 'Lost cards', text: 'Freeze it', score: 0.75 }],
      topIntents: [{ label: 'card_lost', score: 0.5 }],
      model: { name: 'support-intent', version: '3' },
    });
    expect(chatTurnOf(res)).toEqual({
      sessionId: 's',
      reply: 'A human will help',
      intent: 'card_lost',
      confidence: 0.5,
      handoff: true,
      citations: [{ passageId: 'p1', title: 'Lost cards', text: 'Freeze it', score: 0.75 }],
      topIntents: [{ label: 'card_lost', score: 0.5 }],
      model: { name: 'support-intent', version: '3' },
    });
    expect(chatTurnOf(supportV1.ChatResponse.fromPartial({ reply: 'x' })).model).toBeUndefined();
  });

  it('maps an alert: enum names, ISO times, headlines', () => {
    const alert = alertOf(
      sentimentV1.Alert.fromPartial({
        alertId: 'a1',
        entity: 'Northwind Bank',
        kind: sentimentV1.AlertKind.ALERT_KIND_ENTITY,
        rule: sentimentV1.AlertRule.ALERT_RULE_NEGATIVE_SHARE,
        severity: sentimentV1.AlertSeverity.ALERT_SEVERITY_CRITICAL,
        windowStart: new Date('2026-01-01T11:00:00Z'),
        windowEnd: new Date('2026-01-01T11:30:00Z'),
        totalCount: 10,
        negativeCount: 8,
        negativeShare: 0.8,
        zScore: 4.2,
        topHeadlines: [{ id: 'n1', title: 'Bank fined', negativeProbability: 0.9 }],
      }),
    );
    expect(alert).toMatchObject({
      alertId: 'a1',
      kind: 'entity',
      rule: 'negative_share',
      severity: 'critical',
      windowStart: '2026-01-01T11:00:00.000Z',
      windowEnd: '2026-01-01T11:30:00.000Z',
      negativeShare: 0.8,
      headlines: [{ id: 'n1', title: 'Bank fined', negativeProbability: 0.9 }],
    });
    expect(alert.raisedAt).toBeUndefined();
  });

  it('maps a ranking; an untitled item shows its id', () => {
    const r = rankingOf(
      '7',
      recommendV1.RecommendResponse.fromPartial({
        items: [{ itemId: '50', title: '', score: 1.5, rank: 1, reasons: [{ name: 'similar to liked', value: 0.4 }] }],
        coldStart: true,
        rules: [{ rule: 'filter_seen', explanation: 'seen items dropped', affected: 2 }],
        model: { name: 'recommend-ranker', version: '1' },
      }),
    );
    expect(r).toEqual({
      userId: '7',
      items: [{ itemId: '50', title: '50', score: 1.5, rank: 1, reasons: [{ name: 'similar to liked', value: 0.4 }] }],
      coldStart: true,
      rules: [{ rule: 'filter_seen', explanation: 'seen items dropped', affected: 2 }],
      model: { name: 'recommend-ranker', version: '1' },
    });
  });
});
