import 'reflect-metadata';
import { Controller, Get, type INestApplication, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { createAuthenticator } from '../auth/authenticator';
import type { Principal } from '../auth/principal';
import { OverloadedError, UnavailableError, ValidationError } from '../errors/platform-errors';
import { HealthRegistry } from '../health/health-registry';
import { createLogger } from '../logging/create-logger';
import { currentRequestId } from '../logging/request-context';
import { createMetrics } from '../metrics/platform-metrics';
import { CurrentPrincipal, PlatformModule } from './platform.module';

const KEY = 'nest-key-0123456789abcdef';

@Controller('v1')
class DemoController {
  @Get('whoami')
  whoami(@CurrentPrincipal() principal: Principal | undefined) {
    return { subject: principal?.subject, requestId: currentRequestId() };
  }

  @Post('rank')
  rank() {
    throw new ValidationError('limit must not exceed the number of candidates', { kind: 'unprocessable', field: 'limit' });
  }

  @Get('busy')
  busy() {
    throw new OverloadedError('queue full');
  }

  @Get('down')
  down() {
    throw new UnavailableError('redis down', { retryAfterMs: 4_200 });
  }

  @Get('limit')
  limit() {
    throw new OverloadedError('turn limit', { retriable: false });
  }

  @Get('crash')
  crash() {
    throw new Error('secret internals');
  }
}

async function startApp(auth: boolean, retryAfterMs?: number) {
  const health = new HealthRegistry().addComponent('model');
  const metrics = createMetrics();
  const logger = createLogger({ service: 'nest-spec', level: 'silent' });
  const authenticator = auth ? createAuthenticator({ mode: 'api-key', apiKeys: [KEY] }) : undefined;

  @Module({ imports: [PlatformModule.forRoot({ health, metrics, logger, authenticator, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) })], controllers: [DemoController] })
  class AppModule {}

  const app = await NestFactory.create(AppModule, { logger: false });
  await app.init();
  return { app, health, metrics };
}

describe('PlatformModule (NestJS)', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('serves /healthz, /readyz (503 -> 200) and /metrics', async () => {
    const started = await startApp(false);
    app = started.app;
    const server = app.getHttpServer();
    expect((await request(server).get('/healthz')).status).toBe(200);
    const notReady = await request(server).get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body.notReady).toEqual(['model']);
    started.health.setReady('model', true);
    expect((await request(server).get('/readyz')).status).toBe(200);
    const metrics = await request(server).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('# TYPE tuneline_request_duration_seconds histogram');
  });

  it('adds request ids and maps platform errors through the filter', async () => {
    app = (await startApp(false)).app;
    const server = app.getHttpServer();
    const who = await request(server).get('/v1/whoami').set('x-request-id', 'nest-1');
    expect(who.headers['x-request-id']).toBe('nest-1');
    expect(who.body).toEqual({ subject: undefined, requestId: 'nest-1' });
    const rank = await request(server).post('/v1/rank');
    expect(rank.status).toBe(422);
    expect(rank.body.error).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'limit must not exceed the number of candidates' });
    const crash = await request(server).get('/v1/crash');
    expect(crash.status).toBe(500);
    expect(crash.text).not.toContain('secret internals');
    const missing = await request(server).get('/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('sets Retry-After on retriable 429/503 (the error\'s hint, else retryAfterMs, default 1 s), never on others', async () => {
    app = (await startApp(false)).app;
    const server = app.getHttpServer();
    const busy = await request(server).get('/v1/busy');
    expect(busy.status).toBe(429);
    expect(busy.headers['retry-after']).toBe('1');
    const down = await request(server).get('/v1/down');
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    expect((await request(server).get('/v1/limit')).headers['retry-after']).toBeUndefined();
    expect((await request(server).post('/v1/rank')).headers['retry-after']).toBeUndefined();
    await app.close();
    app = (await startApp(false, 7_000)).app;
    expect((await request(app.getHttpServer()).get('/v1/busy')).headers['retry-after']).toBe('7');
  });

  it('guards app routes with the authenticator but leaves probes public', async () => {
    app = (await startApp(true)).app;
    const server = app.getHttpServer();
    expect((await request(server).get('/v1/whoami')).status).toBe(401);
    const ok = await request(server).get('/v1/whoami').set('x-api-key', KEY);
    expect(ok.status).toBe(200);
    expect(ok.body.subject).toMatch(/^api-key:[0-9a-f]{12}$/);
    expect((await request(server).get('/healthz')).status).toBe(200);
  });
});
