import {
  Metadata,
  type ServerUnaryCall,
  type ServerWritableStream,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type sendUnaryData,
} from '@grpc/grpc-js';
import type { Authenticator } from '../auth/authenticator';
import { ANONYMOUS, type Principal } from '../auth/principal';
import { DeadlineError, PlatformError } from '../errors/platform-errors';
import { DEFAULT_RETRY_AFTER_MS, describeError, toGrpcServiceError } from '../errors/status-mapping';
import { type Logger, requestLogger } from '../logging/create-logger';
import { runWithRequestId } from '../logging/request-context';
import { REQUEST_ID_HEADER, ensureRequestId, requestIdFromMetadata } from '../logging/request-id';
import type { PlatformMetrics } from '../metrics/platform-metrics';
import { raceAbort, writeWithBackpressure } from './abort';
import type { GrpcCallContext, ServerStreamHandler, UnaryHandler, WrapOptions } from './call-context';

export interface HandlerWrapperDeps {
  logger: Logger;
  metrics: PlatformMetrics;
  /** Omitted or mode "off": every call is anonymous. */
  authenticator?: Authenticator;
  /** retry-after hint for retriable RESOURCE_EXHAUSTED/UNAVAILABLE errors without their own. Default DEFAULT_RETRY_AFTER_MS. */
  retryAfterMs?: number;
}

export interface HandlerWrappers {
  wrapUnary<Req, Res>(handler: UnaryHandler<Req, Res>, options?: WrapOptions): handleUnaryCall<Req, Res>;
  wrapServerStream<Req, Res>(handler: ServerStreamHandler<Req, Res>, options?: WrapOptions): handleServerStreamingCall<Req, Res>;
}

type AnyServerCall = ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>;

/** grpc-js reports "no deadline" as Infinity, otherwise a Date or epoch ms. */
function deadlineOf(call: AnyServerCall): Date | undefined {
  const d = call.getDeadline();
  const ms = d instanceof Date ? d.getTime() : d;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/**
 * Everything around one call that is not business logic: request id, auth,
 * deadline/cancel -> AbortSignal, error -> status mapping, one log line and
 * one metric observation. `finish` reports the outcome exactly once.
 */
function startCall(
  deps: HandlerWrapperDeps,
  call: AnyServerCall,
  options: WrapOptions,
  finish: (err: unknown) => void,
): { ctx: Omit<GrpcCallContext, 'principal'>; authenticate: () => Promise<Principal>; end: (err?: unknown) => void } {
  const started = process.hrtime.bigint();
  const method = call.getPath();
  const requestId = ensureRequestId(requestIdFromMetadata(call.metadata));
  const deadline = deadlineOf(call);
  const logger = requestLogger(deps.logger, requestId).child({ method });
  const controller = new AbortController();

  const echo = new Metadata();
  echo.set(REQUEST_ID_HEADER, requestId);
  call.sendMetadata(echo);

  let timer: NodeJS.Timeout | undefined;
  if (deadline) {
    const remaining = deadline.getTime() - Date.now();
    if (remaining <= 0) controller.abort(new DeadlineError('Deadline already expired when the call arrived'));
    else timer = setTimeout(() => controller.abort(new DeadlineError()), remaining);
  }
  call.on('cancelled', () => {
    // grpc-js also cancels the call itself when the deadline passes; keep the right reason.
    const expired = deadline !== undefined && Date.now() >= deadline.getTime();
    controller.abort(expired ? new DeadlineError() : new PlatformError('Cancelled by the client', 'CANCELLED'));
  });

  let ended = false;
  const end = (err?: unknown) => {
    if (ended) return;
    ended = true;
    if (timer) clearTimeout(timer);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const d = err === undefined ? undefined : describeError(err);
    const code = d?.code ?? 'OK';
    deps.metrics.observeRequest('grpc', method, code, seconds);
    const fields = { code, durationMs: Math.round(seconds * 1e4) / 10 };
    if (code === 'OK') logger.debug(fields, 'grpc call ok');
    else if (code === 'INTERNAL') logger.error({ ...fields, err }, 'grpc call failed');
    else logger.info({ ...fields, reason: d?.message }, 'grpc call rejected');
    if (!controller.signal.aborted) controller.abort(new PlatformError('Call finished', 'CANCELLED'));
    finish(err);
  };

  const authenticate = async (): Promise<Principal> => {
    if (options.auth === false || !deps.authenticator || deps.authenticator.mode === 'off') return ANONYMOUS;
    return deps.authenticator.authenticate(call.metadata.getMap());
  };

  return {
    ctx: { method, requestId, metadata: call.metadata, signal: controller.signal, deadline, logger },
    authenticate,
    end,
  };
}

/** Builds wrapUnary/wrapServerStream bound to one server's logger, metrics and authenticator. */
export function createHandlerWrappers(deps: HandlerWrapperDeps): HandlerWrappers {
  const statusOptions = { defaultRetryAfterMs: deps.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS };
  return {
    wrapUnary<Req, Res>(handler: UnaryHandler<Req, Res>, options: WrapOptions = {}): handleUnaryCall<Req, Res> {
      return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
        let response: Res | undefined;
        const { ctx, authenticate, end } = startCall(deps, call as AnyServerCall, options, (err) => {
          if (err === undefined) callback(null, response);
          else callback(toGrpcServiceError(err, statusOptions));
        });
        void runWithRequestId(ctx.requestId, async () => {
          try {
            const principal = await raceAbort(authenticate(), ctx.signal);
            response = await raceAbort(handler(call.request, { ...ctx, principal }), ctx.signal);
            end();
          } catch (err) {
            end(err);
          }
        });
      };
    },

    wrapServerStream<Req, Res>(
      handler: ServerStreamHandler<Req, Res>,
      options: WrapOptions = {},
    ): handleServerStreamingCall<Req, Res> {
      return (call: ServerWritableStream<Req, Res>) => {
        const { ctx, authenticate, end } = startCall(deps, call as AnyServerCall, options, (err) => {
          if (err === undefined) call.end();
          else call.emit('error', toGrpcServiceError(err, statusOptions));
        });
        const send = (message: Res) => writeWithBackpressure(call, message, ctx.signal);
        void runWithRequestId(ctx.requestId, async () => {
          try {
            const principal = await raceAbort(authenticate(), ctx.signal);
            await raceAbort(handler(call.request, send, { ...ctx, principal }), ctx.signal);
            end();
          } catch (err) {
            end(err);
          }
        });
      };
    },
  };
}
