import { register as globalRegistry } from 'prom-client';
import { createMetrics } from './platform-metrics';

describe('createMetrics', () => {
  it('records latency for every request and errors only for non-OK codes', async () => {
    const metrics = createMetrics({ defaultLabels: { service: 'svc' } });
    metrics.observeRequest('grpc', '/pkg.Svc/Chat', 'OK', 0.02);
    metrics.observeRequest('grpc', '/pkg.Svc/Chat', 'INVALID_ARGUMENT', 0.001);
    metrics.observeRequest('http', 'POST /v1/rank', 'INVALID_ARGUMENT', 0.001);
    const text = await metrics.render();
    expect(text).toContain(
      'tuneline_request_duration_seconds_count{service="svc",transport="grpc",method="/pkg.Svc/Chat",code="OK"} 1',
    );
    expect(text).toContain('# TYPE tuneline_errors_total counter');
    const errors = (await metrics.errorsTotal.get()).values;
    expect(errors).toHaveLength(2);
    expect(errors).toContainEqual({
      value: 1,
      labels: { transport: 'grpc', method: '/pkg.Svc/Chat', code: 'INVALID_ARGUMENT' },
    });
    expect(text).not.toMatch(/tuneline_errors_total\{[^}]*code="OK"/);
    expect(metrics.contentType).toContain('text/plain');
  });

  it('keeps each registry separate and leaves the global one empty', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.observeRequest('kafka', 'score', 'OK', 0.1);
    expect(await a.registry.getSingleMetricAsString('tuneline_request_duration_seconds')).toContain(
      '_count{transport="kafka",method="score",code="OK"} 1',
    );
    expect(await b.render()).not.toContain('method="score"');
    expect((await globalRegistry.metrics()).trim()).toBe('');
  });

  it('optionally collects process metrics', async () => {
    const metrics = createMetrics({ collectProcessMetrics: true });
    expect(await metrics.render()).toContain('process_cpu_seconds_total');
  });
});
