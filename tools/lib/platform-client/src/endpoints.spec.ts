import { endpointsFromEnv } from './endpoints';

describe('endpointsFromEnv', () => {
  it('gives the documented default ports', () => {
    expect(endpointsFromEnv({})).toEqual({
      supportChat: { http: 'http://127.0.0.1:8081', grpc: '127.0.0.1:50061' },
      sentiment: { http: 'http://127.0.0.1:8082', grpc: '127.0.0.1:50062' },
      recommender: { http: 'http://127.0.0.1:8083', grpc: '127.0.0.1:50063' },
      consoleHttp: 'http://127.0.0.1:8080',
      kafkaBrokers: '127.0.0.1:9092',
    });
  });

  it('reads the same per-app variables as npm start, and the broker the platform uses', () => {
    const e = endpointsFromEnv({ SUPPORT_CHAT_GRPC_PORT: '38061', RECOMMENDER_HTTP_PORT: '38083', KAFKA_PORT: '29092' });
    expect(e.supportChat.grpc).toBe('127.0.0.1:38061');
    expect(e.recommender.http).toBe('http://127.0.0.1:38083');
    expect(e.kafkaBrokers).toBe('127.0.0.1:29092');
    expect(endpointsFromEnv({ KAFKA_BROKERS: 'k:1', TUNELINE_EXTERNAL_KAFKA: 'x:2' }).kafkaBrokers).toBe('x:2');
  });

  it('refuses a port that is not one, naming the variable', () => {
    expect(() => endpointsFromEnv({ CONSOLE_HTTP_PORT: '80a' })).toThrow('CONSOLE_HTTP_PORT must be a port number (1-65535), got "80a"');
    expect(() => endpointsFromEnv({ SENTIMENT_MONITOR_HTTP_PORT: '70000' })).toThrow('SENTIMENT_MONITOR_HTTP_PORT');
  });
});
