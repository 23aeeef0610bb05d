import type { Metadata } from '@grpc/grpc-js';
import type { Principal } from '../auth/principal';
import type { Logger } from '../logging/create-logger';

/** What a wrapped handler gets besides the request. */
export interface GrpcCallContext {
  /** Full method path, e.g. /tuneline.support.v1.SupportChatService/Chat. */
  method: string;
  /** From the caller's x-request-id metadata, or freshly generated. */
  requestId: string;
  principal: Principal;
  metadata: Metadata;
  /** Aborts when the deadline passes or the client cancels; pass it to every await that can take long. */
  signal: AbortSignal;
  /** Absolute deadline, if the client set one. */
  deadline?: Date;
  /** Logger bound to requestId and method. */
  logger: Logger;
}

/** A unary handler: return the response or throw (errors are mapped by their `code`). */
export type UnaryHandler<Req, Res> = (request: Req, ctx: GrpcCallContext) => Promise<Res>;

/**
 * A server-streaming handler: call `send` per message (it waits for flow
 * control and rejects once the call is aborted); resolve when done.
 */
export type ServerStreamHandler<Req, Res> = (
  request: Req,
  send: (message: Res) => Promise<void>,
  ctx: GrpcCallContext,
) => Promise<void>;

export interface WrapOptions {
  /** Set false for endpoints that must stay open (health). Default true. */
  auth?: boolean;
}
