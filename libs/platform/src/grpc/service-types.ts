import type {
  handleBidiStreamingCall,
  handleClientStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
} from '@grpc/grpc-js';

/** The shape of one method in a ts-proto (grpc-js) service definition. */
export interface GeneratedMethod<Req, Res> {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestDeserialize: (bytes: Buffer) => Req;
  responseSerialize: (value: Res) => Buffer;
}

export type GeneratedService = Record<string, GeneratedMethod<never, never>>;

/** The handler grpc-js expects for a method, derived from its definition's stream flags and types. */
export type HandlerFor<M> = M extends {
  requestStream: infer RS;
  responseStream: infer SS;
  requestDeserialize: (bytes: Buffer) => infer Req;
  responseSerialize: (value: infer Res) => Buffer;
}
  ? RS extends false
    ? SS extends false
      ? handleUnaryCall<Req, Res>
      : handleServerStreamingCall<Req, Res>
    : SS extends false
      ? handleClientStreamingCall<Req, Res>
      : handleBidiStreamingCall<Req, Res>
  : never;

/** A full, type-checked implementation of a generated service definition. */
export type ImplementationOf<D> = { [K in keyof D]: HandlerFor<D[K]> };

/** "tuneline.support.v1.SupportChatService" from a definition's method paths. */
export function serviceNameOf(definition: Record<string, { path: string }>): string {
  const first = Object.values(definition)[0];
  const match = first ? /^\/([^/]+)\/[^/]+$/.exec(first.path) : null;
  if (!match?.[1]) throw new TypeError('definition has no method with a /package.Service/Method path');
  return match[1];
}
