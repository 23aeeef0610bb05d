/**
 * The one path both transports take: HTTP and gRPC call these methods with plain objects and
 * only translate shapes, so they cannot drift. Adds what the model side does not do: the
 * shared input checks (limits.ts), admission control, logging, and feedback publishing.
 */
import { UnavailableError, type Logger } from '@tuneline/platform';
import type { FeedbackRecorder } from '../events/feedback-recorder';
import type { Admission } from './admission';
import { checkId, checkRankCall, checkRecommendCall, type ServiceLimits } from './limits';
import type { FeedbackAnswer, FeedbackCall, RankAnswer, RankCall, RankingEngine, RecommendAnswer, RecommendCall } from './types';

export class RecommenderService {
  constructor(
    private readonly engine: RankingEngine,
    private readonly admission: Admission,
    readonly limits: ServiceLimits,
    private readonly logger: Logger,
    private readonly feedback: Pick<FeedbackRecorder, 'record'> | undefined,
  ) {}

  async rank(call: RankCall): Promise<RankAnswer> {
    checkRankCall(call, this.limits);
    // A call cancelled or past its deadline before it starts takes no slot and no work; once
    // started, the facade's work runs to its end (it is not interruptible) and its answer is dropped.
    call.signal?.throwIfAborted();
    const started = performance.now();
    const answer = await this.admission.run(() => this.engine.rank(call));
    this.logger.debug(
      { userId: call.userId, candidates: call.candidates.length, returned: answer.items.length, unknown: answer.unknownItemIds.length, merged: answer.duplicatesMerged, coldStart: answer.coldStart, ms: Math.round(performance.now() - started) },
      'ranked',
    );
    return answer;
  }

  async recommend(call: RecommendCall): Promise<RecommendAnswer> {
    const k = checkRecommendCall(call, this.limits);
    call.signal?.throwIfAborted();
    const started = performance.now();
    const answer = await this.admission.run(() => this.engine.recommend({ ...call, k }));
    this.logger.debug({ userId: call.userId, k, returned: answer.items.length, coldStart: answer.coldStart, ms: Math.round(performance.now() - started) }, 'recommended');
    return answer;
  }

  async recordFeedback(call: FeedbackCall): Promise<FeedbackAnswer> {
    checkId(call.userId, 'userId');
    checkId(call.itemId, 'itemId');
    if (!this.feedback) throw new UnavailableError('feedback recording is off on this replica', { retriable: false });
    const answer = await this.feedback.record(call);
    this.logger.info({ userId: call.userId, itemId: call.itemId, type: call.type, recorded: answer.recorded }, 'feedback');
    return answer;
  }
}
