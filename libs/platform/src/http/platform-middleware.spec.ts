import express from 'express';
import request from 'supertest';
import { createAuthenticator } from '../auth/authenticator';
import { OverloadedError, ValidationError } from '../errors/platform-errors';
import { HealthRegistry } from '../health/health-registry';
import { createLogger } from '../logging/create-logger';
import { currentRequestId } from '../logging/request-context';
import { createMetrics } from '../metrics/platform-metrics';
import { codeFromHttpStatus } from './http-codes';
import {
  authMiddleware,
  httpErrorMiddleware,
  httpMetricsMiddleware,
  localsOf,
  platformRoutesMiddleware,
  requestIdMiddleware,
} from './platform-middleware';

const KEY = 'http-key-0123456789abcdef';

function buildApp(options: { auth?: boolean } = {}) {
  const health = new HealthRegistry().addComponent('model').addComponent('kafka');
  const metrics = createMetrics();
  const logger = createLogger({ service: 'http-spec', level: 'silent' });
  const app = express();
  app.use(requestIdMiddleware());
  app.use(httpMetricsMiddleware(metrics));
  if (options.auth) app.use(authMiddleware(createAuthenticator({ mode: 'api-key', apiKeys: [KEY] })));
  app.use(platformRoutesMiddleware({ health, metrics }));
  app.get('/v1/items/:id', (req, res) => {
    res.json({ id: req.params['id'], requestId: currentRequestId(), subject: localsOf(res).principal?.subject });
  });
  app.post('/v1/too-big', () => {
    throw new ValidationError('text exceeds 2048 tokens', { kind: 'too-large' });
  });
  app.post('/v1/busy', (_req, _res, next) => next(new OverloadedError('queue full')));
  app.get('/v1/bug', () => {
    throw new Error('undefined is not a function at /srv/app.js:12');
  });
  app.use(httpErrorMiddleware(logger));
  return { app, health, metrics };
}

describe('probe and metrics routes', () => {
  it('/healthz is 200 even while not ready', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('/readyz is 503 listing what is not ready, then 200 once all required components are', async () => {
    const { app, health } = buildApp();
    health.setReady('model', true);
    const before = await request(app).get('/readyz');
    expect(before.status).toBe(503);
    expect(before.body.notReady).toEqual(['kafka']);
    health.setReady('kafka', true);
    const after = await request(app).get('/readyz');
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('ready');
  });

  it('/metrics serves the Prometheus text format including HTTP request metrics by route template', async () => {
    const { app } = buildApp();
    await request(app).get('/v1/items/42');
    await request(app).get('/v1/items/43');
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toMatch(/tuneline_request_duration_seconds_count\{transport="http",method="GET \/v1\/items\/:id",code="OK"\} 2/);
    expect(res.text).not.toContain('/v1/items/42');
  });
});

describe('request ids', () => {
  it('echoes a valid incoming x-request-id and exposes it to handlers', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/v1/items/1').set('x-request-id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.body.requestId).toBe('abc-123');
  });

  it('replaces a missing or unsafe id with a fresh one', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/v1/items/1').set('x-request-id', 'bad id with spaces');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });
});

describe('error mapping', () => {
  it('maps a too-large ValidationError to 413 with a JSON body and the request id', async () => {
    const { app } = buildApp();
    const res = await request(app).post('/v1/too-big').set('x-request-id', 'r-9');
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      error: { code: 'INVALID_ARGUMENT', message: 'text exceeds 2048 tokens', retriable: false, requestId: 'r-9' },
    });
  });

  it('maps overload to 429 retriable and unknown errors to 500 without details', async () => {
    const { app, metrics } = buildApp();
    const busy = await request(app).post('/v1/busy');
    expect(busy.status).toBe(429);
    expect(busy.body.error.retriable).toBe(true);
    const bug = await request(app).get('/v1/bug');
    expect(bug.status).toBe(500);
    expect(bug.body.error.message).toBe('Internal error');
    expect(bug.text).not.toContain('/srv/app.js');
    const codes = (await metrics.errorsTotal.get()).values.map((v) => v.labels.code).sort();
    expect(codes).toEqual(['INTERNAL', 'RESOURCE_EXHAUSTED']);
  });

  it('maps HTTP statuses back to canonical codes', () => {
    expect([200, 400, 401, 403, 404, 413, 418, 422, 429, 500, 503, 504].map(codeFromHttpStatus)).toEqual([
      'OK',
      'INVALID_ARGUMENT',
      'UNAUTHENTICATED',
      'PERMISSION_DENIED',
      'NOT_FOUND',
      'INVALID_ARGUMENT',
      'FAILED_PRECONDITION',
      'INVALID_ARGUMENT',
      'RESOURCE_EXHAUSTED',
      'INTERNAL',
      'UNAVAILABLE',
      'DEADLINE_EXCEEDED',
    ]);
  });
});

describe('authMiddleware', () => {
  it('rejects a missing or wrong key with 401 JSON', async () => {
    const { app } = buildApp({ auth: true });
    const missing = await request(app).get('/v1/items/1');
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('UNAUTHENTICATED');
    const wrong = await request(app).get('/v1/items/1').set('x-api-key', 'nope-nope-nope-nope');
    expect(wrong.status).toBe(401);
  });

  it('accepts a good key and records the principal', async () => {
    const { app } = buildApp({ auth: true });
    const res = await request(app).get('/v1/items/1').set('authorization', `Bearer ${KEY}`);
    expect(res.status).toBe(200);
    expect(res.body.subject).toMatch(/^api-key:/);
  });

  it('leaves probes and metrics public', async () => {
    const { app } = buildApp({ auth: true });
    expect((await request(app).get('/healthz')).status).toBe(200);
    expect((await request(app).get('/metrics')).status).toBe(200);
    expect((await request(app).get('/readyz')).status).toBe(503);
  });
});
