import { sentimentV1 } from '@tuneline/proto';
import { storedAlert } from '../../test/alerts';
import { alertOf, severityFilterOf, textScoreOf } from './proto-mapping';

describe('proto mapping', () => {
  it('an entity alert fills entity, kind, severity, rule, headlines, model ref and times', () => {
    const a = alertOf(storedAlert());
    expect(a).toMatchObject({
      alertId: 'a1',
      entity: 'Northwind Bank',
      topic: '',
      kind: sentimentV1.AlertKind.ALERT_KIND_ENTITY,
      severity: sentimentV1.AlertSeverity.ALERT_SEVERITY_CRITICAL,
      rule: sentimentV1.AlertRule.ALERT_RULE_NEGATIVE_SHARE,
      model: { name: 'financial-sentiment', version: '2' },
      exampleIds: ['ns-1'],
      topHeadlines: [{ id: 'ns-1', title: 'Northwind Bank fined', negativeProbability: 0.97 }],
      triggerItemId: 'ns-1',
      totalCount: 20,
      negativeCount: 15,
    });
    expect(a.windowStart?.toISOString()).toBe('2025-01-06T11:00:00.000Z');
    expect(a.triggerEventTime?.toISOString()).toBe('2025-01-06T11:07:00.000Z');
    // The generated codec accepts what the mapping builds.
    expect(sentimentV1.Alert.decode(sentimentV1.Alert.encode(a).finish())).toMatchObject({ alertId: 'a1', entity: 'Northwind Bank' });
  });

  it('a topic alert names the topic, not the entity; a volume warning maps its enums', () => {
    const a = alertOf(storedAlert({ kind: 'topic', name: 'litigation', key: 'topic:litigation', rule: 'negative-volume', severity: 'warning' }));
    expect(a).toMatchObject({ entity: '', topic: 'litigation', kind: sentimentV1.AlertKind.ALERT_KIND_TOPIC, rule: sentimentV1.AlertRule.ALERT_RULE_NEGATIVE_VOLUME, severity: sentimentV1.AlertSeverity.ALERT_SEVERITY_WARNING });
  });

  it('min_severity: unspecified = no filter; an unknown number stays visible to the filter parser', () => {
    expect(severityFilterOf(sentimentV1.AlertSeverity.ALERT_SEVERITY_UNSPECIFIED)).toBeUndefined();
    expect(severityFilterOf(sentimentV1.AlertSeverity.ALERT_SEVERITY_CRITICAL)).toBe('critical');
    expect(severityFilterOf(7 as sentimentV1.AlertSeverity)).toBe('severity 7');
  });

  it('a text score maps sentiment and topic method', () => {
    const t = textScoreOf({ id: 'x', topic: 'earnings', sentiment: 'positive', score: 0.5, sentimentScores: [{ label: 'positive', score: 0.6 }], topicScores: [{ label: 'earnings', score: 0.9 }], topicMethod: 'embedding-similarity' });
    expect(t).toMatchObject({ sentiment: sentimentV1.Sentiment.SENTIMENT_POSITIVE, topicMethod: sentimentV1.TopicMethod.TOPIC_METHOD_EMBEDDING_SIMILARITY, topicScores: [{ label: 'earnings', score: 0.9 }] });
  });
});
