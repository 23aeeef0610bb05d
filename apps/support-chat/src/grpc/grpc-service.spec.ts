import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { HealthRegistry, createGrpcClient, createGrpcServer, createLogger, createMetrics, type GrpcServer } from '@tuneline/platform';
import { supportV1 } from '@tuneline/proto';
import type { EndSessionRequest } from '@tuneline/support';
import { fakeHandler, turnFor, whenAborted, type FakeHandler } from '../../test/fake-handler';
import { Admission } from '../chat/admission';
import { SupportChatService } from '../chat/support-chat.service';
import { addSupportChatGrpcService } from './grpc-service';

const logger = createLogger({ service: 'support-chat-spec', level: 'silent' });

describe('gRPC transport (fake handler, real socket)', () => {
  let server: GrpcServer;
  let client: supportV1.SupportChatServiceClient;
  let release: () => void = () => undefined;
  const ends: EndSessionRequest[] = [];
  const reasons: unknown[] = [];
  let handler: FakeHandler;

  beforeAll(async () => {
    const gate = new Promise<void>((r) => (release = r));
    handler = fakeHandler({
      turn: async (r) => {
        if (r.text === 'slow') await gate;
        if (r.text === 'hang') {
          reasons.push(await whenAborted(r.signal));
          throw r.signal?.reason;
        }
        return turnFor(r);
      },
      end: async (r) => (ends.push(r), { sessionId: r.sessionId, action: r.action, handoffTicketId: r.action === 'handoff' ? 'HO-1' : '', turnCount: 2 }),
    });
    server = createGrpcServer({ host: '127.0.0.1', port: 0, metrics: createMetrics(), logger, health: new HealthRegistry() });
    addSupportChatGrpcService(server, new SupportChatService(handler, new Admission(1), logger));
    const port = await server.listen();
    client = createGrpcClient(supportV1.SupportChatServiceClient, `127.0.0.1:${port}`);
  });
  afterAll(async () => {
    client.close();
    await server.shutdown(1_000);
  });

  const chat = (text: string) =>
    new Promise<supportV1.ChatResponse>((resolve, reject) => client.chat({ sessionId: 's', text, locale: '' }, (err: ServiceError | null, res: supportV1.ChatResponse) => (err ? reject(err) : resolve(res))));

  it('answers RESOURCE_EXHAUSTED (retriable, retry-after trailer) while the in-flight limit is reached', async () => {
    const slow = chat('slow');
    await new Promise((r) => setTimeout(r, 50));
    const busy = (await chat('fast').catch((err: unknown) => err)) as ServiceError;
    expect(busy.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(busy.metadata.get('retry-after')).toEqual(['1']);
    release();
    await expect(slow).resolves.toMatchObject({ reply: 'First sentence. Second one!' });
  });

  it('maps the proto EndAction to the handler action and back', async () => {
    const res = await new Promise<supportV1.EndSessionResponse>((resolve, reject) =>
      client.endSession({ sessionId: 's', action: supportV1.EndAction.END_ACTION_HANDOFF, reason: 'why' }, (err: ServiceError | null, r: supportV1.EndSessionResponse) => (err ? reject(err) : resolve(r))),
    );
    expect(ends.at(-1)).toEqual({ sessionId: 's', action: 'handoff', reason: 'why' });
    expect(res).toEqual({ sessionId: 's', action: supportV1.EndAction.END_ACTION_HANDOFF, handoffTicketId: 'HO-1', turnCount: 2 });
  });

  it.each([
    ['Chat', (deadline: Date) => new Promise((resolve) => client.chat({ sessionId: 's', text: 'hang', locale: '' }, new Metadata(), { deadline }, (err: ServiceError | null) => resolve(err)))],
    ['StreamChat', (deadline: Date) => new Promise((resolve) => client.streamChat({ sessionId: 's', text: 'hang', locale: '' }, { deadline }).on('error', resolve).on('data', () => undefined))],
  ] as const)('%s passes ctx.signal to the turn: the deadline aborts it and frees the admission slot', async (_name, call) => {
    reasons.length = 0;
    const from = handler.signals.length;
    await expect(call(new Date(Date.now() + 150))).resolves.toMatchObject({ code: status.DEADLINE_EXCEEDED });
    // The abort reaches the handler asynchronously after the client sees the deadline: wait
    // for it (bounded) rather than a fixed pause that a busy machine can outrun.
    for (let waited = 0; !handler.signals[from]?.aborted && waited < 2_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    expect(handler.signals[from]?.aborted).toBe(true);
    // The server's own deadline timer and the client's cancel (sent when its deadline passes) race:
    // on a loaded machine the cancel can arrive first (a clean-clone CI run saw CANCELLED). Either
    // way the deadline ended the turn, which is what this checks.
    expect(reasons).toHaveLength(1);
    expect(['DEADLINE_EXCEEDED', 'CANCELLED']).toContain((reasons[0] as { code?: string }).code);
    // Admission(1): the aborted turn gave its slot back.
    await expect(chat('fast')).resolves.toMatchObject({ reply: 'First sentence. Second one!' });
  });
});
