/** Jest globalTeardown of the browser specs: stops what globalSetup started, by process id. */
import { platformState, stopPlatform } from './platform';

export default async function globalTeardown(): Promise<void> {
  await stopPlatform(platformState());
}
