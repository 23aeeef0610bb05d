import { healthV1, recommendV1, sentimentV1, supportV1 } from './index';

describe('@tuneline/proto generated types', () => {
  it('round-trips a ChatResponse with nested and repeated fields through the wire format', () => {
    const original = supportV1.ChatResponse.fromPartial({
      sessionId: 's-1',
      reply: 'Your card arrives in 3 days.',
      intent: 'card_arrival',
      confidence: 0.875,
      handoff: false,
      citations: [{ passageId: 'kb-7', title: 'Cards', text: 'Delivery takes…', score: 0.5 }],
      topIntents: [{ label: 'card_arrival', score: 0.875 }],
      model: { name: 'support-intent', version: '3' },
    });
    const bytes = supportV1.ChatResponse.encode(original).finish();
    expect(bytes.length).toBeGreaterThan(0);
    expect(supportV1.ChatResponse.decode(bytes)).toEqual(original);
  });

  it('round-trips a oneof stream event and keeps its case', () => {
    const chunk: supportV1.StreamChatResponse = { event: { $case: 'chunk', value: { index: 2, text: 'hello' } } };
    const decoded = supportV1.StreamChatResponse.decode(supportV1.StreamChatResponse.encode(chunk).finish());
    expect(decoded.event).toEqual({ $case: 'chunk', value: { index: 2, text: 'hello' } });
  });

  it('maps google.protobuf.Timestamp to Date and enums to numbers', () => {
    const at = new Date('2024-05-01T12:00:00.250Z');
    const msg: recommendV1.RecordFeedbackRequest = {
      userId: 'u1',
      itemId: 'i9',
      type: recommendV1.FeedbackType.FEEDBACK_TYPE_PURCHASE,
      occurredAt: at,
      value: 0,
    };
    const decoded = recommendV1.RecordFeedbackRequest.decode(recommendV1.RecordFeedbackRequest.encode(msg).finish());
    expect(decoded.occurredAt?.toISOString()).toBe(at.toISOString());
    expect(decoded.type).toBe(4);
  });

  it('round-trips the additive recommend fields (inline candidates, reasons, unknown ids, rate value), and old bytes decode to their defaults', () => {
    const request = recommendV1.RankRequest.fromPartial({
      userId: 'u1',
      candidates: [{ itemId: 'm-1' }, { itemId: 'new-1', title: 'New', text: 'about', tags: ['a'], genres: ['Drama'], createdAt: new Date('2026-01-01T00:00:00Z') }],
      limit: 5,
    });
    expect(recommendV1.RankRequest.decode(recommendV1.RankRequest.encode(request).finish())).toEqual(request);
    const response = recommendV1.RankResponse.fromPartial({
      items: [{ itemId: 'm-1', score: 1.5, rank: 1, title: 'T', reasons: [{ name: 'user_item_cosine', value: 0.75 }] }],
      modelVersion: '2',
      unknownItemIds: ['x'],
      duplicatesMerged: 1,
      coldStart: true,
      rules: [{ rule: 'filterSeen', explanation: 'removed 1 seen item', itemIds: [], affected: 1 }],
      model: { name: 'recommend-ranker', version: '2' },
    });
    expect(recommendV1.RankResponse.decode(recommendV1.RankResponse.encode(response).finish())).toEqual(response);
    // Bytes of a response from before the additive fields (proto3 omits defaults): the new fields read as their defaults.
    const old = recommendV1.RankResponse.decode(recommendV1.RankResponse.encode(recommendV1.RankResponse.fromPartial({ items: [{ itemId: 'm-1', score: 1, rank: 1 }], modelVersion: '1' })).finish());
    expect(old).toMatchObject({ unknownItemIds: [], duplicatesMerged: 0, coldStart: false, rules: [] });
    const rate = recommendV1.RecordFeedbackRequest.fromPartial({ userId: 'u', itemId: 'i', type: recommendV1.FeedbackType.FEEDBACK_TYPE_RATE, value: 4.5 });
    expect(recommendV1.RecordFeedbackRequest.decode(recommendV1.RecordFeedbackRequest.encode(rate).finish())).toMatchObject({ type: 6, value: 4.5 });
    const rec = recommendV1.RecommendResponse.fromPartial({ items: [{ itemId: 'm-3', score: 0.2, rank: 1 }], coldStart: false, model: { name: 'recommend-ranker', version: '3' } });
    expect(recommendV1.RecommendResponse.decode(recommendV1.RecommendResponse.encode(rec).finish())).toEqual(rec);
  });

  it('round-trips the sentiment alert with doubles and repeated strings', () => {
    const alert = sentimentV1.Alert.fromPartial({
      alertId: 'a1',
      entity: 'ACME',
      totalCount: 40,
      negativeCount: 30,
      negativeShare: 0.75,
      zScore: 4.2,
      surgeRatio: 3.1,
      exampleIds: ['t1', 't2'],
    });
    const decoded = sentimentV1.Alert.decode(sentimentV1.Alert.encode(alert).finish());
    expect(decoded).toEqual(alert);
  });

  it('round-trips the additive sentiment alert fields and the resume token, and old bytes decode to their defaults', () => {
    const response = sentimentV1.StreamAlertsResponse.fromPartial({
      alert: {
        alertId: 'a2',
        entity: 'ACME',
        kind: sentimentV1.AlertKind.ALERT_KIND_ENTITY,
        severity: sentimentV1.AlertSeverity.ALERT_SEVERITY_CRITICAL,
        rule: sentimentV1.AlertRule.ALERT_RULE_NEGATIVE_VOLUME,
        topHeadlines: [{ id: 'n1', title: 'ACME recalls widgets', negativeProbability: 0.97 }],
        model: { name: 'financial-sentiment', version: '2' },
        volumeZScore: 5.5,
        triggerItemId: 'n1',
        triggerEventTime: new Date('2024-05-01T12:00:00.000Z'),
      },
      resumeToken: 'djE6MC4xMg',
      gap: true,
    });
    const decoded = sentimentV1.StreamAlertsResponse.decode(sentimentV1.StreamAlertsResponse.encode(response).finish());
    expect(decoded).toEqual(response);
    // An alert written before fields 14..22 existed reads with the new fields at their defaults.
    const old = sentimentV1.Alert.decode(sentimentV1.Alert.encode(sentimentV1.Alert.fromPartial({ alertId: 'a0', zScore: 3 })).finish());
    expect(old.severity).toBe(sentimentV1.AlertSeverity.ALERT_SEVERITY_UNSPECIFIED);
    expect(old.topHeadlines).toEqual([]);
    expect(old.model).toBeUndefined();
    const request = sentimentV1.StreamAlertsRequest.fromPartial({ entities: ['ACME'], minSeverity: sentimentV1.AlertSeverity.ALERT_SEVERITY_WARNING, resumeToken: 't' });
    expect(sentimentV1.StreamAlertsRequest.decode(sentimentV1.StreamAlertsRequest.encode(request).finish())).toEqual(request);
  });

  it('exposes the gRPC method paths of every service', () => {
    expect(supportV1.SupportChatServiceService.chat.path).toBe('/tuneline.support.v1.SupportChatService/Chat');
    expect(supportV1.SupportChatServiceService.streamChat.path).toBe(
      '/tuneline.support.v1.SupportChatService/StreamChat',
    );
    expect(supportV1.SupportChatServiceService.streamChat.responseStream).toBe(true);
    expect(supportV1.SupportChatServiceService.endSession.path).toBe(
      '/tuneline.support.v1.SupportChatService/EndSession',
    );
    expect(sentimentV1.SentimentServiceService.scoreTexts.path).toBe('/tuneline.sentiment.v1.SentimentService/ScoreTexts');
    expect(sentimentV1.SentimentServiceService.streamAlerts.path).toBe(
      '/tuneline.sentiment.v1.SentimentService/StreamAlerts',
    );
    expect(sentimentV1.SentimentServiceService.getEntitySentiment.path).toBe(
      '/tuneline.sentiment.v1.SentimentService/GetEntitySentiment',
    );
    expect(recommendV1.RecommenderServiceService.rank.path).toBe('/tuneline.recommend.v1.RecommenderService/Rank');
    expect(recommendV1.RecommenderServiceService.recordFeedback.path).toBe(
      '/tuneline.recommend.v1.RecommenderService/RecordFeedback',
    );
    expect(recommendV1.RecommenderServiceService.recommend.path).toBe('/tuneline.recommend.v1.RecommenderService/Recommend');
    expect(healthV1.HealthService.check.path).toBe('/grpc.health.v1.Health/Check');
    expect(healthV1.HealthService.watch.path).toBe('/grpc.health.v1.Health/Watch');
    expect(healthV1.HealthService.watch.responseStream).toBe(true);
  });

  it('keeps the standard health enum values that probes rely on', () => {
    const { HealthCheckResponse_ServingStatus: S } = healthV1;
    expect([S.UNKNOWN, S.SERVING, S.NOT_SERVING, S.SERVICE_UNKNOWN]).toEqual([0, 1, 2, 3]);
  });
});
