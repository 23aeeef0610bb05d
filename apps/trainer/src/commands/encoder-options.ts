import { encoderTrainOptions, type EncoderMethod, type EncoderTrainOptions, type LoraTarget } from '@tuneline/finetune';
import { UsageError } from '../exit-codes';

export const FINETUNE_METHODS = ['head', 'lora', 'top-layers'] as const;
export type FinetuneMethod = (typeof FINETUNE_METHODS)[number];

export interface EncoderCliFlags {
  readonly method?: FinetuneMethod;
  readonly layers?: number;
  readonly loraRank?: number;
  readonly loraAlpha?: number;
  readonly loraTargets?: string;
  readonly headLr?: number;
  readonly maxGradNorm?: number;
  /** `--adapted-only`: early stopping keeps the best adapted epoch, never the probe (probeCompetes false). */
  readonly adaptedOnly?: boolean;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly lr?: number;
  readonly weightDecay?: number;
  readonly patience?: number;
  readonly seed?: number;
  readonly head?: string;
  readonly hidden?: number;
  readonly dropout?: number;
  readonly minSteps?: number;
  readonly classWeights?: string;
  /** `--exemplars` alone (true) or with a spec such as `k=10,t=0.02,w=0.5`. */
  readonly exemplars?: string | true;
}

const ENCODER_ONLY = ['layers', 'loraRank', 'loraAlpha', 'loraTargets', 'headLr', 'maxGradNorm', 'adaptedOnly'] as const;
// `--dropout` is read by both: the mlp head's dropout, or the trained layers' hidden dropout.
const HEAD_ONLY = ['head', 'hidden', 'minSteps', 'classWeights', 'exemplars'] as const;
const flagName = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * Flags → the encoder options the user set, for `--method lora|top-layers` (undefined for
 * `head`). A flag that only one kind of method reads is refused with the other, so it is never
 * silently ignored.
 */
export function encoderOptionsFrom(o: EncoderCliFlags): { method: EncoderMethod; options: Partial<EncoderTrainOptions> } | undefined {
  const method = o.method ?? 'head';
  if (method === 'head') {
    const stray = ENCODER_ONLY.filter((k) => o[k] !== undefined);
    if (stray.length) throw new UsageError(`${stray.map(flagName).join(', ')} need --method lora or top-layers`);
    return undefined;
  }
  const stray = HEAD_ONLY.filter((k) => o[k] !== undefined);
  if (stray.length) throw new UsageError(`${stray.map(flagName).join(', ')} apply to --method head only (encoder methods train a linear head)`);
  const targets = o.loraTargets?.split(',').map((t) => t.trim()) as LoraTarget[] | undefined;
  const picked: Partial<Record<keyof EncoderTrainOptions, unknown>> = {
    layers: o.layers, loraRank: o.loraRank, loraAlpha: o.loraAlpha, loraTargets: targets, headLearningRate: o.headLr, maxGradNorm: o.maxGradNorm,
    epochs: o.epochs, batchSize: o.batchSize, learningRate: o.lr, weightDecay: o.weightDecay, patience: o.patience, seed: o.seed, dropout: o.dropout,
    probeCompetes: o.adaptedOnly === undefined ? undefined : !o.adaptedOnly,
  };
  const options = Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== undefined)) as Partial<EncoderTrainOptions>;
  try {
    encoderTrainOptions(method, options);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return { method, options };
}
