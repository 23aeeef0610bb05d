import type { TrainerConfig } from './config';
import type { ProgressStream } from './progress';

/** The process streams, passed down so commands never reach for globals. */
export interface CliStreams {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: ProgressStream;
  readonly stdin: NodeJS.ReadableStream;
}

/** What every command gets: the streams and the environment, parsed once (config.ts). */
export interface CliIO extends CliStreams {
  readonly config: TrainerConfig;
}

export function processStreams(): CliStreams {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}

/** Writes one line of JSON (the machine-readable result of a command) to stdout. */
export function writeJsonLine(io: CliStreams, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value)}\n`);
}
