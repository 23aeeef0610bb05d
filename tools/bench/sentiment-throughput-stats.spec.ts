import { alertLatency, cpuSecondsOfStat, LagPeak, metricTotal, scoredThroughput, stageLagOf } from './sentiment-throughput-stats';

describe('scoredThroughput', () => {
  const at = (ms: number) => new Date(Date.parse('2026-01-01T00:00:00.000Z') + ms).toISOString();

  it('counts every item from the first chunk\'s start to the last record read; the read span leaves out the first chunk read', () => {
    const receipts = [
      // Chunks a and b start together at 0 and are read together at 1 s; c starts at 1 s, read at 3 s.
      { receivedMs: Date.parse(at(1_000)), scoredAt: at(0) },
      { receivedMs: Date.parse(at(1_001)), scoredAt: at(1) },
      { receivedMs: Date.parse(at(1_001)), scoredAt: at(0) },
      { receivedMs: Date.parse(at(1_002)), scoredAt: at(1) },
      { receivedMs: Date.parse(at(3_000)), scoredAt: at(1_005) },
    ];
    expect(scoredThroughput([...receipts].reverse())).toEqual({ itemsPerSec: 5 / 3, spanMs: 3_000, readSpanItemsPerSec: 3 / 2, readSpanMs: 2_000, chunks: 3, items: 5 });
  });

  it('refuses too few records, a bad scoredAt or no read span', () => {
    expect(() => scoredThroughput([{ receivedMs: 1, scoredAt: at(0) }])).toThrow(/^receipts: expected at least 2/);
    expect(() => scoredThroughput([{ receivedMs: 1, scoredAt: 'soon' }, { receivedMs: 2, scoredAt: at(0) }])).toThrow(/^receipts: scoredAt "soon"/);
    expect(() => scoredThroughput([{ receivedMs: 1, scoredAt: at(0) }, { receivedMs: 1, scoredAt: at(1) }])).toThrow(/^receipts: every record/);
  });
});

describe('alertLatency', () => {
  const sent = new Map(Array.from({ length: 100 }, (_, i) => [`i${i}`, 10_000 + i * 100]));

  it('takes received − sent of each alert\'s trigger item, nearest-rank p50/p90/p99, kinds counted, duplicates and unknown triggers apart', () => {
    const receipts = Array.from({ length: 100 }, (_, i) => ({ alertId: `a${i}`, triggerItemId: `i${i}`, key: i % 10 === 0 ? 'topic:earnings' : `entity:E${i}`, receivedMs: 10_000 + i * 100 + (i + 1) * 10 }));
    receipts.push({ alertId: 'a5', triggerItemId: 'i5', key: 'entity:E5', receivedMs: 99_999 });
    receipts.push({ alertId: 'zz', triggerItemId: 'nope', key: 'entity:X', receivedMs: 1 });
    const out = alertLatency(receipts, sent);
    expect(out).toMatchObject({ alerts: 100, p50Ms: 500, p90Ms: 900, p99Ms: 990, minMs: 10, maxMs: 1_000, unknownTrigger: 1, duplicates: 1, byKind: { entity: 90, topic: 10 } });
    expect(out.toScored.p50Ms).toBeNaN();
  });

  it('splits each latency where the trigger item\'s scored record was read', () => {
    const receipts = [
      { alertId: 'a', triggerItemId: 'i0', key: 'entity:A', receivedMs: 10_000 + 900 },
      { alertId: 'b', triggerItemId: 'i1', key: 'entity:B', receivedMs: 10_100 + 500 },
      { alertId: 'c', triggerItemId: 'i2', key: 'entity:C', receivedMs: 10_200 + 700 },
    ];
    const scored = new Map([['i0', 10_000 + 600], ['i1', 10_100 + 100]]);
    const out = alertLatency(receipts, sent, scored);
    expect(out.alerts).toBe(3);
    expect(out.toScored).toEqual({ p50Ms: 100, p90Ms: 600, p99Ms: 600 });
    expect(out.scoredToAlert).toEqual({ p50Ms: 300, p90Ms: 400, p99Ms: 400 });
  });

  it('is NaN with no alerts', () => {
    expect(alertLatency([], sent)).toMatchObject({ alerts: 0, p50Ms: NaN, p99Ms: NaN });
  });
});

describe('stage lag from /metrics', () => {
  const page = [
    '# HELP tuneline_sentiment_stage_lag Records between a stage\'s position and the input partition\'s end',
    '# TYPE tuneline_sentiment_stage_lag gauge',
    'tuneline_sentiment_stage_lag{stage="score",partition="0"} 12',
    'tuneline_sentiment_stage_lag{partition="1",stage="score"} 3',
    'tuneline_sentiment_stage_lag{stage="windows",partition="0"} 500',
    'tuneline_sentiment_stage_lagging_total 7',
  ].join('\n');

  it('reads one stage\'s lag per partition, whatever the label order', () => {
    expect(stageLagOf(page, 'score')).toEqual(new Map([[0, 12], [1, 3]]));
    expect(stageLagOf(page, 'windows')).toEqual(new Map([[0, 500]]));
    expect(stageLagOf('', 'score').size).toBe(0);
  });

  it('sums one series over its label sets, not series that only share its prefix', () => {
    const text = [
      'tuneline_inference_run_seconds_sum{model="a",provider="cpu"} 1.5',
      'tuneline_inference_run_seconds_sum{model="b",provider="cpu"} 2',
      'tuneline_inference_run_seconds_sum_extra 100',
      'tuneline_inference_run_seconds_count{model="a",provider="cpu"} 7',
      'tuneline_inference_items_total 40',
    ].join('\n');
    expect(metricTotal(text, 'tuneline_inference_run_seconds_sum')).toBe(3.5);
    expect(metricTotal(text, 'tuneline_inference_items_total')).toBe(40);
    expect(metricTotal(text, 'missing')).toBe(0);
  });

  it('keeps the largest total and the largest single partition over samples', () => {
    const peak = new LagPeak();
    peak.add(new Map([[0, 12], [1, 3]]));
    peak.add(new Map([[0, 2], [1, 14]]));
    peak.add(new Map());
    expect(peak.get()).toEqual({ maxTotal: 16, maxPartition: 14, samples: 3 });
  });
});

describe('cpuSecondsOfStat', () => {
  it('adds utime and stime (fields 14, 15) in clock ticks, whatever the command name holds', () => {
    const rest = 'S 1 1 1 0 -1 4194304 126 0 0 0 250 75 0 0 20 0 1 0 1329956 3133440 416';
    expect(cpuSecondsOfStat(`21423 (node) ${rest}`)).toBeCloseTo(3.25);
    expect(cpuSecondsOfStat(`21423 (we ird) (name) ${rest}`, 1000)).toBeCloseTo(0.325);
    expect(() => cpuSecondsOfStat('garbage')).toThrow(/^stat:/);
  });
});
