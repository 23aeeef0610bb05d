/**
 * The HTTP side as a Nest module: the platform's probes, metrics, request ids, auth and
 * error mapping (PlatformModule), the body checks, the ranking controller, and the shared
 * RecommenderService both transports call.
 */
import { type DynamicModule, Inject, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { PlatformModule, jsonBodyMiddleware, requireJsonMiddleware, type PlatformModuleOptions } from '@tuneline/platform';
import type { RecommenderService } from '../ranking/recommender.service';
import { RankingController } from './ranking.controller';
import { BODY_OPTIONS, RECOMMENDER_SERVICE } from './tokens';

export interface RecommenderModuleOptions {
  readonly platform: PlatformModuleOptions;
  readonly service: RecommenderService;
  /** Retry-After of retriable 429/503 answers (the platform's HttpErrorFilter; gRPC gets the same as retry-after). */
  readonly retryAfterSeconds: number;
  /** Largest accepted JSON body; larger ones are 413. */
  readonly maxBodyBytes: number;
}

@Module({})
export class RecommenderModule implements NestModule {
  constructor(@Inject(BODY_OPTIONS) private readonly body: { readonly maxBodyBytes: number }) {}

  static forRoot(options: RecommenderModuleOptions): DynamicModule {
    return {
      module: RecommenderModule,
      imports: [PlatformModule.forRoot({ ...options.platform, retryAfterMs: options.retryAfterSeconds * 1_000 })],
      controllers: [RankingController],
      providers: [
        { provide: RECOMMENDER_SERVICE, useValue: options.service },
        { provide: BODY_OPTIONS, useValue: { maxBodyBytes: options.maxBodyBytes } },
      ],
    };
  }

  /** Body checks (415, JSON parse with 400/413) after PlatformModule's request id, metrics and auth. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requireJsonMiddleware(), jsonBodyMiddleware(this.body.maxBodyBytes)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
