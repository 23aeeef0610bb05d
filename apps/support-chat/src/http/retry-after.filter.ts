/**
 * The platform's HttpErrorFilter plus a Retry-After header on retriable overload and
 * unavailability answers (429, 503), so clients back off instead of hammering.
 * Bound to the app's controllers (@UseFilters), where it takes precedence over the global one.
 */
import { type ArgumentsHost, Catch, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { HttpErrorFilter, describeError, type Logger } from '@tuneline/platform';
import { RETRY_AFTER_OPTIONS } from './tokens';

export interface RetryAfterOptions {
  readonly seconds: number;
  readonly logger?: Logger;
}

@Injectable()
@Catch()
export class RetryAfterFilter extends HttpErrorFilter {
  private readonly seconds: number;

  constructor(@Inject(RETRY_AFTER_OPTIONS) options: RetryAfterOptions) {
    super(options.logger);
    this.seconds = options.seconds;
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const d = describeError(exception);
    if (d.retriable && (d.httpStatus === 429 || d.httpStatus === 503)) {
      host.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(this.seconds));
    }
    super.catch(exception, host);
  }
}
