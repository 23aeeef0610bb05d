/**
 * Chromium for the browser specs: Debian's package (test/ensure-chromium.sh installs it) driven
 * by playwright-core; axe-core injected from node_modules for the accessibility check;
 * screenshots into the git-ignored run directory.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { WORKSPACE_ROOT } from './processes';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: the tests run as root in CI, where chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Serious and critical axe-core violations of the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    // Runs in the page (no DOM lib in this tsconfig: the page's globals are typed here).
    const w = globalThis as unknown as { document: unknown; axe: { run(ctx: unknown, opts: object): Promise<{ violations: AxeViolation[] }> } };
    return (await w.axe.run(w.document, { resultTypes: ['violations'] })).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function screenshotDir(logDir: string): string {
  const dir = join(logDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export { WORKSPACE_ROOT };
