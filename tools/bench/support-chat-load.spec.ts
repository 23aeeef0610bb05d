import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFlags, UsageError } from './bench-cli';
import { mergeBenchPart, SUPPORT_CHAT_FLAT_KEYS, SUPPORT_CHAT_LOAD_KEYS } from './bench-json';
import { callerStats, closedLoop, distinctMessages, eventCounts, loadFlat, MessageCycler, serviceRun, type CannonResult } from './chat-load';
import { SAMPLE_MESSAGES_FILE, SUPPORT_CHAT_LOAD_CLI, supportChatLoadOptions } from './options';

describe('support chat load: messages', () => {
  it('keeps each trimmed, non-empty text once, in file order, and drops texts over the length limit', () => {
    expect(distinctMessages([' a ', 'b', 'a', '', '   ', 'b\n', 'toolong', 'c'], 5)).toEqual(['a', 'b', 'c']);
  });

  it('cycles through the messages, each turn in a new session of its own', () => {
    const c = new MessageCycler(['m1', 'm2', 'm3'], 'load-x');
    const turns = Array.from({ length: 7 }, () => c.next());
    expect(turns.map((t) => t.text)).toEqual(['m1', 'm2', 'm3', 'm1', 'm2', 'm3', 'm1']);
    expect(new Set(turns.map((t) => t.sessionId)).size).toBe(7);
    expect(turns[0]?.sessionId).toBe('load-x-0');
    expect(c.count).toBe(7);
    // Session ids must pass the service's validation: 1–128 of [A-Za-z0-9._:-].
    for (const t of turns) expect(t.sessionId).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  });

  it('builds the POST /v1/chat body', () => {
    const c = new MessageCycler(['my card is "lost"'], 'p');
    expect(JSON.parse(c.nextBody())).toEqual({ sessionId: 'p-0', text: 'my card is "lost"' });
  });

  it('refuses an empty message list', () => {
    expect(() => new MessageCycler([], 'p')).toThrow(RangeError);
  });
});

describe('support chat load: stats', () => {
  const cannon: CannonResult = {
    duration: 20, '2xx': 1000, non2xx: 2, errors: 0, timeouts: 0, latency: { p50: 300, p99: 800 },
    statusCodeStats: { '200': { count: 1000 }, '429': { count: 2 } },
  };

  it('counts 2xx answers per second of the run, with the status codes', () => {
    expect(serviceRun(cannon)).toEqual({ perSec: 50, p50Ms: 300, p99Ms: 800, completed: 1000, seconds: 20, non2xx: 2, errors: 0, timeouts: 0, statusCodes: { '200': 1000, '429': 2 } });
    expect(serviceRun({ ...cannon, duration: 0 }).perSec).toBe(0);
  });

  it('summarises per-call latencies over the wall time', () => {
    const lat = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(callerStats(lat, 2_000)).toEqual({ perSec: 50, p50Ms: 50, p99Ms: 99, completed: 100, seconds: 2 });
  });

  it('maps the median runs to exactly the flat load keys, rounded', () => {
    const flat = loadFlat({ perSec: 35.04, p50Ms: 1510.26, p99Ms: 2999.94, completed: 700, seconds: 20 }, { perSec: 70.1, p50Ms: 1, p99Ms: 2, completed: 1402, seconds: 20 });
    expect(Object.keys(flat).sort()).toEqual([...SUPPORT_CHAT_LOAD_KEYS].sort());
    expect(flat).toEqual({ turnsPerSec: 35, classifierTextsPerSec: 70.1, serviceToClassifierRatio: 0.5, p50Ms: 1510.3, p99Ms: 2999.9 });
    // mergeBenchPart accepts them as support-chat.json's flat keys.
    expect(mergeBenchPart({}, { part: 'load', command: 'c', date: 'd', machine: 'm', flat }, SUPPORT_CHAT_FLAT_KEYS)).toMatchObject(flat);
  });

  it('reads the support event counters from a Prometheus page', () => {
    const page = ['# HELP tuneline_support_events_total x', 'tuneline_support_events_total{service="s",topic="support.conversations",outcome="published"} 12',
      'tuneline_support_events_total{topic="support.handoff",outcome="overflow",service="s"} 3', 'other_total{topic="x"} 9'].join('\n');
    expect(eventCounts(page)).toEqual({ 'support.conversations/published': 12, 'support.handoff/overflow': 3 });
  });
});

describe('support chat load: the closed loop of the ceiling', () => {
  it('runs `callers` loops until the duration is over, waits for the calls in flight and counts them', async () => {
    let t = 0;
    let active = 0, most = 0;
    const texts: string[] = [];
    const c = new MessageCycler(['a', 'b'], 'x');
    // Each call takes 10 ticks of a fake clock; 4 callers for 25 ticks: 3 calls each (started at 0, 10, 20).
    const stats = await closedLoop(4, 25, () => c.next().text, async (text) => {
      texts.push(text);
      most = Math.max(most, ++active);
      await Promise.resolve();
      t += 10 / 4; // the four callers share the clock
      active--;
    }, () => t);
    expect(most).toBe(4);
    expect(stats.completed).toBe(texts.length);
    expect(texts.length).toBeGreaterThanOrEqual(8);
    expect(texts.slice(0, 4)).toEqual(['a', 'b', 'a', 'b']);
  });
});

describe('support chat load: flags', () => {
  let root: string;
  beforeAll(() => {
    // A root whose ../shared does not exist: the default messages file is missing, as in CI.
    root = join(mkdtempSync(join(tmpdir(), 'bench-load-')), 'repo');
    mkdirSync(join(root, 'libs/finetune/samples'), { recursive: true });
    writeFileSync(join(root, SAMPLE_MESSAGES_FILE), '{"text":"hi","label":"x"}\n');
    writeFileSync(join(root, 'm.csv'), 'body\nq1\n');
  });
  afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));

  it('--help lists every flag with its default', () => {
    const p = parseFlags(SUPPORT_CHAT_LOAD_CLI, ['--help']);
    const text = p.help ? p.usage : '';
    for (const f of SUPPORT_CHAT_LOAD_CLI.flags) expect(text).toContain(`--${f.name}`);
    expect(text).toContain('(default: 64)');
    expect(supportChatLoadOptions(['-h'], root)).toMatchObject({ help: true });
  });

  it('a missing default messages file is a usage error naming what to pass', () => {
    expect(() => supportChatLoadOptions([], root)).toThrow(UsageError);
    expect(() => supportChatLoadOptions([], root)).toThrow(/--messages samples/);
  });

  it('takes the samples by name, or any file, with the defaults of the issue', () => {
    const s = supportChatLoadOptions(['--messages', 'samples'], root);
    expect(s).toMatchObject({ samples: true, messages: join(root, SAMPLE_MESSAGES_FILE), connections: 64, durationS: 20, reps: 3, events: true,
      outJson: 'docs/benchmarks/support-chat.json' });
    const f = supportChatLoadOptions(['--messages', 'm.csv', '--text-field', 'body', '--connections', '8', '--duration=5', '--reps', '1', '--no-events'], root);
    expect(f).toMatchObject({ samples: false, messages: join(root, 'm.csv'), textField: 'body', connections: 8, durationS: 5, events: false });
    expect('flags' in f ? f.flags : '').toBe('--messages m.csv --text-field body --connections 8 --duration 5 --warmup 5 --reps 1 --no-events');
  });

  it('refuses unknown flags, bad numbers and even reps', () => {
    for (const argv of [['--conections', '64'], ['--messages', 'samples', '--connections', '0'], ['--messages', 'samples', '--duration', 'x'],
      ['--messages', 'samples', '--reps', '2'], ['--messages', 'samples', '--no-events=1']]) {
      expect(() => supportChatLoadOptions(argv, root)).toThrow(UsageError);
    }
  });
});
