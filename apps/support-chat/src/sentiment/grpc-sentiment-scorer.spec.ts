import { Server, ServerCredentials, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { sentimentV1 } from '@tuneline/proto';
import { scoreSentiment } from '@tuneline/support';
import { createGrpcSentimentScorer, negativeProbabilityOf, type GrpcSentimentScorerHandle } from './grpc-sentiment-scorer';

// fromPartial fills every other field with its proto default, so new proto fields need no edit here.
const score = (over: Partial<sentimentV1.TextScore>): sentimentV1.TextScore => sentimentV1.TextScore.fromPartial(over);

describe('negativeProbabilityOf', () => {
  it("takes the negative label's probability, whatever its case", () => {
    expect(negativeProbabilityOf(score({ score: -0.1, sentimentScores: [{ label: 'positive', score: 0.3 }, { label: 'NEGATIVE', score: 0.4 }] }))).toBeCloseTo(0.4);
    expect(negativeProbabilityOf(score({ sentimentScores: [{ label: 'neg', score: 0.9 }] }))).toBeCloseTo(0.9);
  });

  it('without a negative label, falls back to the lower bound max(0, -score)', () => {
    expect(negativeProbabilityOf(score({ score: -0.7, sentimentScores: [{ label: 'LABEL_0', score: 0.8 }] }))).toBeCloseTo(0.7);
    expect(negativeProbabilityOf(score({ score: 0.5 }))).toBe(0);
  });

  it('refuses a missing result and a probability outside [0, 1]', () => {
    expect(() => negativeProbabilityOf(undefined)).toThrow(/no result/);
    expect(() => negativeProbabilityOf(score({ sentimentScores: [{ label: 'negative', score: 1.5 }] }))).toThrow(/outside \[0, 1\]/);
  });
});

describe('GrpcSentimentScorer over a real socket', () => {
  let server: Server;
  let handle: GrpcSentimentScorerHandle | undefined;
  let behaviour: (call: ServerUnaryCall<sentimentV1.ScoreTextsRequest, sentimentV1.ScoreTextsResponse>, cb: sendUnaryData<sentimentV1.ScoreTextsResponse>) => void;
  let cancelled = 0;
  let port: number;

  beforeAll(async () => {
    server = new Server();
    const unimplemented = (_c: unknown, cb: sendUnaryData<never>) => cb({ code: 12 }, null);
    server.addService(sentimentV1.SentimentServiceService, {
      scoreTexts: (call: ServerUnaryCall<sentimentV1.ScoreTextsRequest, sentimentV1.ScoreTextsResponse>, cb: sendUnaryData<sentimentV1.ScoreTextsResponse>) => {
        call.on('cancelled', () => cancelled++);
        behaviour(call, cb);
      },
      streamAlerts: (call: { end(): void }) => call.end(),
      getEntitySentiment: unimplemented,
    });
    port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  });
  afterEach(() => handle?.close());
  afterAll(() => server.forceShutdown());

  it('sends the text and answers the negative probability', async () => {
    const texts: string[] = [];
    behaviour = (call, cb) => {
      texts.push(...call.request.texts.map((t) => t.text));
      cb(null, { results: [score({ sentimentScores: [{ label: 'negative', score: 0.875 }] })] });
    };
    handle = createGrpcSentimentScorer(`127.0.0.1:${port}`, 2_000);
    await expect(handle.scorer.scoreNegative('you are useless', new AbortController().signal)).resolves.toBeCloseTo(0.875);
    expect(texts).toEqual(['you are useless']);
  });

  it('rejects with the status of a failed call', async () => {
    behaviour = (_call, cb) => cb({ code: 8, details: 'queue full' }, null);
    handle = createGrpcSentimentScorer(`127.0.0.1:${port}`, 2_000);
    await expect(handle.scorer.scoreNegative('x', new AbortController().signal)).rejects.toThrow(/RESOURCE_EXHAUSTED queue full/);
  });

  it('cancels the call when the handler gives up (abort), so the remote stops; the turn sees a timeout', async () => {
    behaviour = () => undefined; // never answers
    handle = createGrpcSentimentScorer(`127.0.0.1:${port}`, 5_000);
    const before = cancelled;
    await expect(scoreSentiment(handle.scorer, 'slow', 100)).resolves.toEqual({ status: 'timeout' });
    const deadline = Date.now() + 2_000;
    while (cancelled === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(cancelled).toBe(before + 1);
  });

  it('gives up at its own deadline with DEADLINE_EXCEEDED', async () => {
    behaviour = () => undefined;
    handle = createGrpcSentimentScorer(`127.0.0.1:${port}`, 100);
    await expect(handle.scorer.scoreNegative('slow', new AbortController().signal)).rejects.toThrow(/DEADLINE_EXCEEDED/);
  });

  it('fails fast with UNAVAILABLE when nothing listens', async () => {
    handle = createGrpcSentimentScorer('127.0.0.1:1', 2_000);
    const started = Date.now();
    await expect(handle.scorer.scoreNegative('x', new AbortController().signal)).rejects.toThrow(/UNAVAILABLE/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
