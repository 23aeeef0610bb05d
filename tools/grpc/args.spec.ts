import { parseBody, parseGrpcArgs, UsageError } from './args';
import { codecOf, SERVICES } from './services';

describe('tools/grpc arguments', () => {
  it('resolves the app, the proto method (any case) and the default address', () => {
    const args = parseGrpcArgs(['support-chat', 'chat', '{"sessionId":"s","text":"hi"}'], {});
    expect(args).toMatchObject({ app: 'support-chat', protoMethod: 'Chat', address: '127.0.0.1:50061', body: '{"sessionId":"s","text":"hi"}' });
    expect(args.method.path).toBe('/tuneline.support.v1.SupportChatService/Chat');
  });

  it('takes the address from --addr, else from the app variable the console reads', () => {
    expect(parseGrpcArgs(['--addr', 'h:1', 'recommender', 'Recommend'], { RECOMMENDER_GRPC_URL: 'x:2' }).address).toBe('h:1');
    expect(parseGrpcArgs(['recommender', 'Recommend'], { RECOMMENDER_GRPC_URL: 'x:2' }).address).toBe('x:2');
    expect(parseGrpcArgs(['recommender', 'Recommend'], {}).body).toBe('{}');
  });

  it('marks server-streaming methods', () => {
    expect(parseGrpcArgs(['sentiment-monitor', 'StreamAlerts'], {}).method.responseStream).toBe(true);
  });

  it.each([
    [['support-chat'], 'an app and a method are required'],
    [['nope', 'Chat'], 'unknown app nope'],
    [['support-chat', 'Rank'], 'has no method Rank; one of Chat, StreamChat, EndSession, Feedback'],
    [['--addr', 'nohost', 'recommender', 'Rank'], 'must be host:port'],
    [['--deadline-ms', '0', 'recommender', 'Rank'], '--deadline-ms must be a positive integer'],
    [['--bogus', 'recommender', 'Rank'], 'unknown option --bogus'],
    [['recommender', 'Rank', '{}', 'extra'], 'unexpected argument(s): extra'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseGrpcArgs(argv, {})).toThrow(UsageError);
    expect(() => parseGrpcArgs(argv, {})).toThrow(message);
  });

  it('refuses a body that is not a JSON object', () => {
    expect(() => parseBody('{oops')).toThrow('the request is not JSON');
    expect(() => parseBody('[1]')).toThrow('must be a JSON object');
    expect(parseBody('{"userId":"1"}')).toEqual({ userId: '1' });
  });

  it('finds <Method>Request/<Method>Response codecs for every method of every service', () => {
    for (const entry of Object.values(SERVICES)) {
      for (const def of Object.values(entry.definition)) {
        const name = def.path.slice(def.path.lastIndexOf('/') + 1);
        expect(() => codecOf(entry, `${name}Request`)).not.toThrow();
        expect(() => codecOf(entry, `${name}Response`)).not.toThrow();
      }
    }
    const chat = codecOf(SERVICES['support-chat'] ?? fail('no support-chat'), 'ChatRequest');
    expect(chat.fromJSON({ sessionId: 's', text: 'hi' })).toEqual({ sessionId: 's', text: 'hi', locale: '' });
  });
});
