/** Flags of `npm run demo` (tools/demo/demo.ts), parsed without side effects (options.spec.ts). */

export interface DemoOptions {
  /** news.raw records per second of the sample replay. */
  readonly rate: number;
  /** The user whose ranking changes; a fresh one per run unless given. */
  readonly user: string;
  /** How long to wait for the surge alert. */
  readonly alertTimeoutS: number;
}

export const DEMO_USAGE = `usage: npm run demo [-- --rate 8] [--user <id>] [--alert-timeout-s 240]
  talks to the platform npm start runs (ports from SUPPORT_CHAT_HTTP_PORT etc., as for npm start):
  three chat turns (a template answer, a follow-up, a handoff), the sample news replayed until an
  alert fires, and a user's ranking before and after a few recorded likes`;

export class DemoUsageError extends Error {}

function positiveInt(name: string, raw: string | undefined, max: number): number {
  const value = Number(raw);
  if (raw === undefined || !Number.isInteger(value) || value < 1 || value > max) {
    throw new DemoUsageError(`--${name} must be an integer in [1, ${max}], got ${raw ?? 'nothing'}`);
  }
  return value;
}

export function parseDemoOptions(argv: readonly string[], now: () => number = Date.now): DemoOptions {
  let rate = 8;
  let user = `demo-user-${now().toString(36)}`;
  let alertTimeoutS = 240;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    switch (flag) {
      case '--rate':
        rate = positiveInt('rate', value, 1_000);
        i++;
        break;
      case '--user':
        if (!value?.trim()) throw new DemoUsageError('--user needs a user id');
        user = value.trim();
        i++;
        break;
      case '--alert-timeout-s':
        alertTimeoutS = positiveInt('alert-timeout-s', value, 3_600);
        i++;
        break;
      default:
        throw new DemoUsageError(`unknown argument ${flag}`);
    }
  }
  return { rate, user, alertTimeoutS };
}
