import {
  Controller,
  type DynamicModule,
  Get,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
  Res,
  createParamDecorator,
  type ExecutionContext,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Response } from 'express';
import type { Authenticator } from '../auth/authenticator';
import type { Principal } from '../auth/principal';
import type { HealthRegistry } from '../health/health-registry';
import { livenessResponse, readinessResponse } from '../health/http-health';
import type { Logger } from '../logging/create-logger';
import type { PlatformMetrics } from '../metrics/platform-metrics';
import { HttpErrorFilter } from './http-error.filter';
import {
  DEFAULT_PUBLIC_PATHS,
  authMiddleware,
  httpMetricsMiddleware,
  localsOf,
  requestIdMiddleware,
} from './platform-middleware';

export const PLATFORM_OPTIONS = Symbol('PLATFORM_OPTIONS');

export interface PlatformModuleOptions {
  health: HealthRegistry;
  metrics: PlatformMetrics;
  logger: Logger;
  /** Omitted or mode "off": no auth. */
  authenticator?: Authenticator;
  /** Paths served without credentials. Default /healthz, /readyz, /metrics. */
  publicPaths?: readonly string[];
  /** Retry-After for retriable 429/503 errors without their own hint (HttpErrorFilter). Default 1000. */
  retryAfterMs?: number;
}

/** GET /healthz, /readyz, /metrics for a Nest app. */
@Controller()
export class PlatformController {
  constructor(@Inject(PLATFORM_OPTIONS) private readonly options: PlatformModuleOptions) {}

  @Get('healthz')
  healthz(@Res() res: Response): void {
    const answer = livenessResponse();
    res.status(answer.status).json(answer.body);
  }

  @Get('readyz')
  readyz(@Res() res: Response): void {
    const answer = readinessResponse(this.options.health);
    res.status(answer.status).json(answer.body);
  }

  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    const text = await this.options.metrics.render();
    res.status(200).type(this.options.metrics.contentType).send(text);
  }
}

/** The authenticated caller of the current HTTP request (set by the auth middleware). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal | undefined => localsOf(ctx.switchToHttp().getResponse<Response>()).principal,
);

/**
 * Wires the platform into a Nest HTTP app: request ids, HTTP metrics, auth,
 * probe and metrics routes, and the error filter. Import once in the root module.
 */
@Module({})
export class PlatformModule implements NestModule {
  constructor(@Inject(PLATFORM_OPTIONS) private readonly options: PlatformModuleOptions) {}

  static forRoot(options: PlatformModuleOptions): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      controllers: [PlatformController],
      providers: [
        { provide: PLATFORM_OPTIONS, useValue: options },
        {
          provide: APP_FILTER,
          useFactory: () => new HttpErrorFilter(options.logger, options.retryAfterMs === undefined ? {} : { retryAfterMs: options.retryAfterMs }),
        },
      ],
      exports: [PLATFORM_OPTIONS],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    const { metrics, authenticator, publicPaths } = this.options;
    const chain = [requestIdMiddleware(), httpMetricsMiddleware(metrics)];
    if (authenticator && authenticator.mode !== 'off') chain.push(authMiddleware(authenticator, publicPaths ?? DEFAULT_PUBLIC_PATHS));
    consumer.apply(...chain).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
