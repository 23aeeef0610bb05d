import express from 'express';
import request from 'supertest';
import { jsonBodyMiddleware, requireJsonMiddleware } from './json-body.middleware';
import { requestIdMiddleware } from './platform-middleware';

function buildApp(limitBytes = 64) {
  const app = express();
  app.use(requestIdMiddleware());
  app.use(requireJsonMiddleware(), jsonBodyMiddleware(limitBytes));
  app.post('/echo', (req, res) => res.json({ got: req.body as unknown }));
  return app;
}

describe('JSON body middleware', () => {
  it('parses a JSON body and lets an empty POST through to the handler (which names what is missing)', async () => {
    await request(buildApp()).post('/echo').send({ a: 1 }).expect(200, { got: { a: 1 } });
    const empty = await request(buildApp()).post('/echo').expect(200);
    expect(empty.body.error).toBeUndefined();
  });

  it('answers with the platform error body: 415 not JSON, 400 malformed, 413 over the limit naming it, each with the request id', async () => {
    const app = buildApp();
    const notJson = await request(app).post('/echo').set('content-type', 'text/plain').send('hello').expect(415);
    expect(notJson.body.error).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'Content-Type must be application/json, got text/plain' });
    expect(notJson.body.error.requestId ?? notJson.headers['x-request-id']).toBeTruthy();
    const bad = await request(app).post('/echo').set('content-type', 'application/json').send('{oops').expect(400);
    expect(bad.body.error.message).toBe('request body is not valid JSON');
    const big = await request(app).post('/echo').send({ text: 'x'.repeat(100) }).expect(413);
    expect(big.body.error.message).toBe('request body is larger than 64 bytes');
    const charset = await request(app).post('/echo').set('content-type', 'application/json; charset=latin-9000').send('{}').expect(415);
    expect(charset.body.error.message).toBe('unsupported body encoding or charset');
  });
});
