import type { ProgressStream } from './progress';

/** The process streams and environment, passed down so commands never reach for globals. */
export interface CliIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: ProgressStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** Writes one line of JSON (the machine-readable result of a command) to stdout. */
export function writeJsonLine(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value)}\n`);
}
