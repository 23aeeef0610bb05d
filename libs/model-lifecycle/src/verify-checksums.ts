import { join } from 'node:path';
import { sha256File } from '@tuneline/inference';
import { ChecksumMismatchError } from './errors';

export interface ExpectedChecksums {
  /** sha256 of model.onnx. */
  readonly sha256: string;
  /** sha256 of tokenizer.json, when the publisher sent it. */
  readonly tokenizerSha256?: string;
}

/** Streams model.onnx (and tokenizer.json) through sha256 and refuses any difference. */
export async function verifyChecksums(dir: string, expected: ExpectedChecksums): Promise<void> {
  const checks: [string, string | undefined][] = [
    ['model.onnx', expected.sha256],
    ['tokenizer.json', expected.tokenizerSha256],
  ];
  for (const [file, want] of checks) {
    if (!want) continue;
    const path = join(dir, file);
    const actual = await sha256File(path);
    if (actual !== want) throw new ChecksumMismatchError(path, want, actual);
  }
}
