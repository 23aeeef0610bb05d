import { type ServiceError, status } from '@grpc/grpc-js';
import { HealthRegistry, createGrpcClient, createGrpcServer, createLogger, createMetrics, type GrpcServer } from '@tuneline/platform';
import { supportV1 } from '@tuneline/proto';
import type { EndSessionRequest } from '@tuneline/support';
import { fakeHandler, turnFor } from '../../test/fake-handler';
import { Admission } from '../chat/admission';
import { SupportChatService } from '../chat/support-chat.service';
import { addSupportChatGrpcService } from './grpc-service';

const logger = createLogger({ service: 'support-chat-spec', level: 'silent' });

describe('gRPC transport (fake handler, real socket)', () => {
  let server: GrpcServer;
  let client: supportV1.SupportChatServiceClient;
  let release: () => void = () => undefined;
  const ends: EndSessionRequest[] = [];

  beforeAll(async () => {
    const gate = new Promise<void>((r) => (release = r));
    const handler = fakeHandler({
      turn: async (r) => (r.text === 'slow' ? (await gate, turnFor(r)) : turnFor(r)),
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

  it('answers RESOURCE_EXHAUSTED (retriable) while the in-flight limit is reached', async () => {
    const slow = chat('slow');
    await new Promise((r) => setTimeout(r, 50));
    await expect(chat('fast')).rejects.toMatchObject({ code: status.RESOURCE_EXHAUSTED });
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
});
