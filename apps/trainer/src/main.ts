import { Command } from 'commander';
import { registerEvaluateCommand } from './commands/evaluate-command';
import { registerFinetuneCommand } from './commands/finetune-command';
import { registerPredictCommand } from './commands/predict-command';
import { registerPublishCommand } from './commands/publish-command';
import { classifyError, EXIT_CODES } from './exit-codes';
import { processIO, type CliIO } from './io';

/** The `tuneline` program: root settings inherited by every command registered after them. */
export function createProgram(io: CliIO): Command {
  const program = new Command('tuneline')
    .description('fine-tune, evaluate, run and publish Tuneline text classifiers')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  registerFinetuneCommand(program, io);
  registerEvaluateCommand(program, io);
  registerPredictCommand(program, io);
  registerPublishCommand(program, io);
  return program;
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    await createProgram(io).parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (err) {
    const { code, message } = classifyError(err);
    if (message) io.stderr.write(`${message}\n`);
    if (code === EXIT_CODES.failure && io.env['TUNELINE_DEBUG'] && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return code;
  }
}

if (require.main === module) {
  // `| head` closing stdout early is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT_CODES.ok);
  });
  void run(process.argv.slice(2), processIO()).then((code) => {
    process.exitCode = code;
  });
}
