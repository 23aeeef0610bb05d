/** Typed gRPC clients of the three services (generated code in @tuneline/proto) and a promise wrapper. */
import { credentials, type ServiceError } from '@grpc/grpc-js';
import { recommendV1, sentimentV1, supportV1 } from '@tuneline/proto';
import type { PlatformEndpoints } from './endpoints';

export interface PlatformClients {
  readonly supportChat: supportV1.SupportChatServiceClient;
  readonly sentiment: sentimentV1.SentimentServiceClient;
  readonly recommender: recommendV1.RecommenderServiceClient;
  close(): void;
}

export function platformClients(endpoints: PlatformEndpoints): PlatformClients {
  const insecure = credentials.createInsecure();
  const supportChat = new supportV1.SupportChatServiceClient(endpoints.supportChat.grpc, insecure);
  const sentiment = new sentimentV1.SentimentServiceClient(endpoints.sentiment.grpc, insecure);
  const recommender = new recommendV1.RecommenderServiceClient(endpoints.recommender.grpc, insecure);
  return {
    supportChat,
    sentiment,
    recommender,
    close: () => [supportChat, sentiment, recommender].forEach((c) => c.close()),
  };
}

/** Awaits a callback-style unary call: `await unary((cb) => client.chat(req, cb))`. */
export function unary<T>(call: (cb: (err: ServiceError | null, res: T) => void) => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    call((err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** A deadline for the call options, `ms` from now. */
export function deadline(ms: number): { deadline: Date } {
  return { deadline: new Date(Date.now() + ms) };
}
