import { Command } from 'commander';
import { registerEvaluateCommand } from './commands/evaluate-command';
import { registerFinetuneCommand } from './commands/finetune-command';
import { registerPredictCommand } from './commands/predict-command';
import { registerPublishCommand } from './commands/publish-command';
import { registerRankHeadCommand } from './commands/rank-head-command';
import { loadTrainerConfig, type TrainerConfig } from './config';
import { classifyError, EXIT_CODES } from './exit-codes';
import { processStreams, type CliIO, type CliStreams } from './io';

/** The `tuneline` program: root settings inherited by every command registered after them. */
export function createProgram(io: CliIO): Command {
  const program = new Command('tuneline')
    .description('fine-tune, evaluate, run and publish Tuneline text classifiers and the recommender\'s ranking head')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  registerFinetuneCommand(program, io);
  registerEvaluateCommand(program, io);
  registerPredictCommand(program, io);
  registerPublishCommand(program, io);
  registerRankHeadCommand(program, io);
  return program;
}

/** Runs one command line; `env` is read here only, through the validated trainer config. */
export async function run(argv: readonly string[], streams: CliStreams, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  let config: TrainerConfig | undefined;
  try {
    config = loadTrainerConfig(env);
    await createProgram({ ...streams, config }).parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (err) {
    const { code, message } = classifyError(err);
    if (message) streams.stderr.write(`${message}\n`);
    if (code === EXIT_CODES.failure && config?.debug && err instanceof Error && err.stack) streams.stderr.write(`${err.stack}\n`);
    return code;
  }
}

if (require.main === module) {
  // `| head` closing stdout early is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT_CODES.ok);
  });
  void run(process.argv.slice(2), processStreams(), process.env).then((code) => {
    process.exitCode = code;
  });
}
