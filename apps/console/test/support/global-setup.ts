/** Jest globalSetup of the browser specs: starts the platform once, for every browser spec. */
import { killGroup } from './processes';
import { startPlatform, STATE_ENV } from './platform';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const state = await startPlatform();
  process.env[STATE_ENV] = JSON.stringify(state);
  // The services run detached (own process groups): a Ctrl-C or a CI's SIGTERM reaches jest,
  // not them, and skips globalTeardown. Kill them here; a SIGKILLed jest leaves them to the
  // next run's sweep (platform.ts sweepStaleRuns).
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      for (const s of Object.values(state.services)) killGroup(s.pid, 'SIGKILL');
      process.exit(code);
    });
  }
  process.stdout.write(`\nconsole browser specs: platform ready in ${((Date.now() - started) / 1000).toFixed(1)} s (logs: ${state.logDir})\n`);
}
