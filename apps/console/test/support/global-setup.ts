/** Jest globalSetup of the browser specs: starts the platform once, for every browser spec. */
import { startPlatform, STATE_ENV } from './platform';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const state = await startPlatform();
  process.env[STATE_ENV] = JSON.stringify(state);
  process.stdout.write(`\nconsole browser specs: platform ready in ${((Date.now() - started) / 1000).toFixed(1)} s (logs: ${state.logDir})\n`);
}
