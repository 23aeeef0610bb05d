/**
 * The gRPC services `npm run grpc` can call: the generated ts-proto code in @tuneline/proto
 * (service definitions and message codecs), the env variable naming each address (the same the
 * console reads) and its default port (tools/up.sh prints `--addr` when a port was moved).
 */
import { recommendV1, sentimentV1, supportV1 } from '@tuneline/proto';

/** One method of a ts-proto `outputServices=grpc-js` definition. */
export interface MethodDef {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly requestSerialize: (value: never) => Buffer;
  readonly responseDeserialize: (value: Buffer) => unknown;
}

/** The JSON side of a ts-proto message (proto3 JSON mapping: camelCase fields, enum names). */
export interface MessageCodec {
  fromJSON(object: unknown): unknown;
  toJSON(message: never): unknown;
}

export interface ServiceEntry {
  readonly definition: Readonly<Record<string, MethodDef>>;
  /** The generated module: `<Method>Request` / `<Method>Response` live there (buf lint enforces the names). */
  readonly messages: Readonly<Record<string, unknown>>;
  readonly addressEnv: string;
  readonly defaultPort: number;
}

export const SERVICES: Readonly<Record<string, ServiceEntry>> = {
  'support-chat': {
    definition: supportV1.SupportChatServiceService,
    messages: supportV1,
    addressEnv: 'SUPPORT_CHAT_GRPC_URL',
    defaultPort: 50061,
  },
  'sentiment-monitor': {
    definition: sentimentV1.SentimentServiceService,
    messages: sentimentV1,
    addressEnv: 'SENTIMENT_GRPC_URL',
    defaultPort: 50062,
  },
  recommender: {
    definition: recommendV1.RecommenderServiceService,
    messages: recommendV1,
    addressEnv: 'RECOMMENDER_GRPC_URL',
    defaultPort: 50063,
  },
};

function isCodec(value: unknown): value is MessageCodec {
  const v = value as Partial<MessageCodec> | undefined;
  return typeof v?.fromJSON === 'function' && typeof v.toJSON === 'function';
}

/** The codec of `<name>` in a generated module, or an error naming what is missing. */
export function codecOf(entry: ServiceEntry, name: string): MessageCodec {
  const codec = entry.messages[name];
  if (!isCodec(codec)) throw new Error(`the generated code has no message ${name}`);
  return codec;
}

/** Proto method names of a service (`Chat`, `StreamChat`, ...), from the definitions' paths. */
export function methodNames(entry: ServiceEntry): string[] {
  return Object.values(entry.definition).map((m) => m.path.slice(m.path.lastIndexOf('/') + 1));
}

/** The method whose proto name is `name` (case-insensitive), with that proto name. */
export function findMethod(entry: ServiceEntry, name: string): { readonly protoName: string; readonly def: MethodDef } | undefined {
  for (const def of Object.values(entry.definition)) {
    const protoName = def.path.slice(def.path.lastIndexOf('/') + 1);
    if (protoName.toLowerCase() === name.toLowerCase()) return { protoName, def };
  }
  return undefined;
}
