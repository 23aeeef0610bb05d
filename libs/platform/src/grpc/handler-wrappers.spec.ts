import { EventEmitter } from 'node:events';
import { Metadata, type ServerUnaryCall, type StatusObject, status } from '@grpc/grpc-js';
import { createLogger } from '../logging/create-logger';
import { createMetrics } from '../metrics/platform-metrics';
import { createHandlerWrappers } from './handler-wrappers';

/** Just enough of a grpc-js unary call to drive the wrapper without a socket. */
function fakeUnaryCall(deadline: number): ServerUnaryCall<string, string> {
  const call = Object.assign(new EventEmitter(), {
    request: 'ping',
    metadata: new Metadata(),
    getPath: () => '/test.v1.TestService/Ping',
    getDeadline: () => deadline,
    sendMetadata: jest.fn(),
  });
  return call as unknown as ServerUnaryCall<string, string>;
}

function run(deadline: number, handler: () => Promise<string>) {
  const metrics = createMetrics();
  const { wrapUnary } = createHandlerWrappers({ metrics, logger: createLogger({ service: 't', level: 'silent' }) });
  return new Promise<{ err: Partial<StatusObject> | null; value?: string; metrics: typeof metrics }>((resolve) => {
    wrapUnary(handler)(fakeUnaryCall(deadline), (err, value) => resolve({ err: err as Partial<StatusObject> | null, value: value ?? undefined, metrics }));
  });
}

describe('wrapUnary deadline handling', () => {
  it('fails DEADLINE_EXCEEDED without running the handler when the deadline already passed', async () => {
    const handler = jest.fn(async () => 'pong');
    const { err, metrics } = await run(Date.now() - 1, handler);
    expect(err?.code).toBe(status.DEADLINE_EXCEEDED);
    expect(err?.details).toContain('already expired');
    expect(handler).not.toHaveBeenCalled();
    expect((await metrics.errorsTotal.get()).values[0]?.labels).toMatchObject({ code: 'DEADLINE_EXCEEDED', transport: 'grpc' });
  });

  it('runs the handler when no deadline is set (grpc-js reports Infinity)', async () => {
    const { err, value } = await run(Infinity, async () => 'pong');
    expect(err).toBeNull();
    expect(value).toBe('pong');
  });

  it('reports the deadline even when the handler ignores its signal', async () => {
    const started = Date.now();
    const { err } = await run(Date.now() + 50, () => new Promise((r) => setTimeout(() => r('late'), 1_000)));
    expect(err?.code).toBe(status.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(900);
  });
});
