import { z } from 'zod';
import type { PublishableRankingCard } from '../publish';

/** The slice of a ranking head's model-card.json (libs/recommend trainRankingHead) the event needs. */
const rankingCardSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  task: z.literal('ranking'),
  interactions: z.number().optional(),
  report: z.object({
    rows: z.number(),
    members: z.array(z.object({ validationAuc: z.number(), validationNdcg10: z.number(), easeOrderNdcg10: z.number() }).loose()).min(1),
  }).loose(),
}).loose();

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * The publishable card of a ranking head, or undefined when `card` is not one. Its event
 * metrics are the ensemble members' mean held-out figures (what the head has to beat: EASE's
 * order of the same candidates).
 */
export function rankingCardOf(card: unknown): PublishableRankingCard | undefined {
  const parsed = rankingCardSchema.safeParse(card);
  if (!parsed.success) return undefined;
  const { members, rows } = parsed.data.report;
  return {
    name: parsed.data.name,
    version: parsed.data.version,
    task: 'ranking',
    metrics: {
      validationNdcg10: mean(members.map((m) => m.validationNdcg10)),
      validationAuc: mean(members.map((m) => m.validationAuc)),
      easeOrderNdcg10: mean(members.map((m) => m.easeOrderNdcg10)),
      rows,
      ...(parsed.data.interactions !== undefined ? { interactions: parsed.data.interactions } : {}),
    },
  };
}
