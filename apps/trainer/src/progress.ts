import { Presets, SingleBar } from 'cli-progress';
import type { EpochRecord } from '@tuneline/finetune';

/** Where progress goes: stderr, so stdout stays one JSON line for scripts. */
export interface ProgressStream extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
}

/** Callbacks handed to `finetune()`; `stop()` must run when it ends, failed or not. */
export interface TrainingProgress {
  log(message: string): void;
  embed(done: number, total: number): void;
  epoch(record: EpochRecord, totalEpochs: number): void;
  stop(): void;
}

const f4 = (n: number) => (Number.isFinite(n) ? n.toFixed(4) : String(n));

/** The line printed per epoch when stderr is not a terminal (CI logs, files). */
export function formatEpochLine(r: EpochRecord, totalEpochs: number): string {
  return `epoch ${r.epoch}/${totalEpochs} train_loss=${f4(r.trainLoss)} val_loss=${f4(r.valLoss)} ` +
    `val_accuracy=${f4(r.valAccuracy)} val_macro_f1=${f4(r.valMacroF1)} lr=${r.learningRate.toExponential(2)} (${r.seconds.toFixed(3)} s)`;
}

/** Plain lines: a few embedding milestones (every 10 %) and one line per epoch. */
class LineProgress implements TrainingProgress {
  private lastDecile = -1;

  constructor(private readonly stream: ProgressStream) {}

  log(message: string): void {
    this.stream.write(`${message}\n`);
  }

  embed(done: number, total: number): void {
    const decile = total > 0 ? Math.floor((done / total) * 10) : 10;
    if (decile === this.lastDecile) return;
    this.lastDecile = decile;
    this.stream.write(`embedding ${done}/${total} texts\n`);
  }

  epoch(record: EpochRecord, totalEpochs: number): void {
    this.stream.write(`${formatEpochLine(record, totalEpochs)}\n`);
  }

  stop(): void {
    // Nothing held open.
  }
}

/** cli-progress bars on a terminal: texts embedded, then epochs with loss, macro-F1 and ETA. */
class BarProgress implements TrainingProgress {
  private bar?: SingleBar;
  private phase?: 'embed' | 'train';

  constructor(private readonly stream: ProgressStream) {}

  private open(phase: 'embed' | 'train', total: number, payload: Record<string, string>): SingleBar {
    if (this.bar && this.phase === phase) return this.bar;
    this.stop();
    const format = phase === 'embed'
      ? 'embedding {bar} {value}/{total} texts | {duration_formatted} | ETA {eta_formatted}'
      : 'training  {bar} epoch {value}/{total} | loss {loss} | val macro-F1 {f1} | ETA {eta_formatted}';
    const bar = new SingleBar({ format, stream: this.stream, hideCursor: true, barsize: 30, etaBuffer: 20, fps: 10 }, Presets.shades_classic);
    bar.start(total, 0, payload);
    this.bar = bar;
    this.phase = phase;
    return bar;
  }

  log(message: string): void {
    this.stop();
    this.stream.write(`${message}\n`);
  }

  embed(done: number, total: number): void {
    this.open('embed', total, {}).update(done);
    if (done >= total) this.stop();
  }

  epoch(record: EpochRecord, totalEpochs: number): void {
    this.open('train', totalEpochs, { loss: '-', f1: '-' }).update(record.epoch, { loss: f4(record.trainLoss), f1: f4(record.valMacroF1) });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
    this.phase = undefined;
  }
}

export function createTrainingProgress(stream: ProgressStream, tty = stream.isTTY === true): TrainingProgress {
  return tty ? new BarProgress(stream) : new LineProgress(stream);
}
