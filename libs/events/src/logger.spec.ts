import { logLevel } from 'kafkajs';
import pino from 'pino';
import { createKafka, parseBrokers } from './kafka-client';
import { kafkaLogCreator, silentLogger, type EventsLogger } from './logger';

describe('EventsLogger', () => {
  it('accepts a pino logger as is', () => {
    const logger: EventsLogger = pino({ enabled: false });
    expect(typeof logger.info).toBe('function');
    expect(() => silentLogger.error({}, 'nothing')).not.toThrow();
  });

  it('forwards KafkaJS log entries with their level and fields', () => {
    const lines: Array<[string, object, string | undefined]> = [];
    const capture = (level: string) => (obj: object, msg?: string) => void lines.push([level, obj, msg]);
    const logger: EventsLogger = { debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') };
    const log = kafkaLogCreator(logger)(logLevel.INFO);
    const entry = (level: logLevel) => ({
      namespace: 'Consumer',
      level,
      label: 'X',
      log: { timestamp: 't', logger: 'kafkajs', message: 'hello', groupId: 'g' },
    });
    log(entry(logLevel.ERROR));
    log(entry(logLevel.WARN));
    log(entry(logLevel.INFO));
    log(entry(logLevel.DEBUG));
    expect(lines.map(([level]) => level)).toEqual(['error', 'warn', 'info', 'debug']);
    expect(lines[0][1]).toEqual({ component: 'kafkajs', namespace: 'Consumer', groupId: 'g' });
    expect(lines[0][2]).toBe('hello');
  });
});

describe('kafka client', () => {
  it('parses broker lists', () => {
    expect(parseBrokers('127.0.0.1:9092')).toEqual(['127.0.0.1:9092']);
    expect(parseBrokers(' a:1 , b:2 ')).toEqual(['a:1', 'b:2']);
    expect(parseBrokers(['kafka-0.kafka:9092'])).toEqual(['kafka-0.kafka:9092']);
  });

  it('names the bad broker entry', () => {
    expect(() => parseBrokers('')).toThrow(/at least one/);
    expect(() => parseBrokers('localhost')).toThrow('brokers: "localhost" is not host:port');
    expect(() => parseBrokers('h:99999')).toThrow(/h:99999/);
  });

  it('needs a client id', () => {
    expect(() => createKafka({ clientId: '', brokers: 'a:1' })).toThrow(/clientId/);
    expect(createKafka({ clientId: 'svc', brokers: 'a:1' }).producer).toBeDefined();
  });
});
