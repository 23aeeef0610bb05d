import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { CODE_MAPPINGS } from '../errors/error-codes';
import { DEFAULT_RETRY_AFTER_MS, type HttpErrorBody, describeError, retryAfterMsOf, retryAfterSeconds, toHttpErrorBody } from '../errors/status-mapping';
import type { Logger } from '../logging/create-logger';
import { localsOf } from './platform-middleware';
import { codeFromHttpStatus } from './http-codes';

export interface HttpErrorFilterOptions {
  /** Retry-After for retriable 429/503 errors without their own `retryAfterMs`. Default DEFAULT_RETRY_AFTER_MS (1 s). */
  retryAfterMs?: number;
}

/**
 * NestJS exception filter using the platform mapping, so HTTP answers match
 * gRPC ones. Nest's own HttpExceptions (404 route, validation pipes) keep their status.
 * A retriable RESOURCE_EXHAUSTED/UNAVAILABLE answer carries Retry-After (seconds), the same
 * rule as the gRPC retry-after trailer (retryAfterMsOf).
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly retryAfterMs: number;

  constructor(
    private readonly logger?: Logger,
    options: HttpErrorFilterOptions = {},
  ) {
    this.retryAfterMs = options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const requestId = localsOf(res).requestId;
    if (exception instanceof HttpException) {
      const httpStatus = exception.getStatus();
      const mapped = codeFromHttpStatus(httpStatus);
      const code = mapped === 'OK' ? 'INTERNAL' : mapped;
      const body: HttpErrorBody = {
        error: { code, message: exception.message, retriable: CODE_MAPPINGS[code].retriable, ...(requestId ? { requestId } : {}) },
      };
      res.status(httpStatus).json(body);
      return;
    }
    const d = describeError(exception);
    if (d.httpStatus >= 500) this.logger?.error({ err: exception }, 'http request failed');
    const retryAfterMs = retryAfterMsOf(exception, this.retryAfterMs);
    if (retryAfterMs !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds(retryAfterMs)));
    res.status(d.httpStatus).json(toHttpErrorBody(exception, requestId));
  }
}
