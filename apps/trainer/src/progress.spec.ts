import { Writable } from 'node:stream';
import type { EpochRecord } from '@tuneline/finetune';
import { createTrainingProgress, formatEpochLine } from './progress';

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY: boolean, readonly columns = 120) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const record = (epoch: number): EpochRecord => ({
  epoch, trainLoss: 1 / epoch, valLoss: 1.2 / epoch, valAccuracy: 0.5 + epoch / 100, valMacroF1: 0.4 + epoch / 100, learningRate: 0.002, seconds: 0.0123,
});

describe('training progress', () => {
  it('formats one line per epoch with losses, metrics, learning rate and time', () => {
    expect(formatEpochLine(record(2), 10)).toBe(
      'epoch 2/10 train_loss=0.5000 val_loss=0.6000 val_accuracy=0.5200 val_macro_f1=0.4200 lr=2.00e-3 (0.012 s)');
    expect(formatEpochLine({ ...record(1), trainLoss: NaN }, 3)).toContain('train_loss=NaN');
  });

  it('without a TTY: embedding milestones every 10 %, a line per epoch, log lines as is', () => {
    const out = new Capture(false);
    const p = createTrainingProgress(out);
    p.log('data: 100 rows');
    for (let done = 5; done <= 100; done += 5) p.embed(done, 100);
    p.epoch(record(1), 2);
    p.epoch(record(2), 2);
    p.stop();
    const lines = out.text.trimEnd().split('\n');
    expect(lines[0]).toBe('data: 100 rows');
    expect(lines.filter((l) => l.startsWith('embedding '))).toEqual(
      [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((n) => `embedding ${n}/100 texts`));
    expect(lines.filter((l) => l.startsWith('epoch '))).toHaveLength(2);
    expect(out.text).not.toContain('\u001b[');
  });

  it('on a TTY: draws bars with epoch, loss and macro-F1, and a log line ends the bar', () => {
    const out = new Capture(true);
    const p = createTrainingProgress(out);
    p.embed(32, 64);
    p.embed(64, 64);
    p.epoch(record(1), 40);
    p.epoch(record(2), 40);
    p.log('model written');
    p.stop();
    expect(out.text).toContain('64/64 texts');
    expect(out.text).toMatch(/training .* epoch 2\/40 \| loss 0\.5000 \| val macro-F1 0\.4200 \| ETA/);
    expect(out.text).toContain('model written\n');
    // The cursor is shown again once the bars stop.
    expect(out.text).toContain('\u001b[?25h');
  });
});
