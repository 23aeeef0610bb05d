import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { CODE_MAPPINGS } from '../errors/error-codes';
import { type HttpErrorBody, describeError, toHttpErrorBody } from '../errors/status-mapping';
import type { Logger } from '../logging/create-logger';
import { localsOf } from './platform-middleware';
import { codeFromHttpStatus } from './http-codes';

/**
 * NestJS exception filter using the platform mapping, so HTTP answers match
 * gRPC ones. Nest's own HttpExceptions (404 route, validation pipes) keep their status.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger?: Logger) {}

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
    res.status(d.httpStatus).json(toHttpErrorBody(exception, requestId));
  }
}
