/** The console's Nest module: the platform chassis (probes, metrics, errors) and the /api routes. */
import { type DynamicModule, Inject, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import type { AlertHub, ConsoleFacade, ModelsTracker } from '@tuneline/console';
import { PlatformModule, jsonBodyMiddleware, requireJsonMiddleware, type PlatformModuleOptions } from '@tuneline/platform';
import { AlertsController } from './alerts.controller';
import { ChatController } from './chat.controller';
import { ModelsController } from './models.controller';
import { RankingController } from './ranking.controller';
import { FACADE, HUB, MAX_BODY_BYTES, MODELS, SSE_HEARTBEAT_MS } from './tokens';

export interface ConsoleModuleOptions {
  readonly platform: PlatformModuleOptions;
  readonly facade: ConsoleFacade;
  readonly hub: AlertHub;
  readonly models: ModelsTracker;
  readonly sseHeartbeatMs: number;
  readonly maxBodyBytes: number;
}

@Module({})
export class ConsoleModule implements NestModule {
  constructor(@Inject(MAX_BODY_BYTES) private readonly maxBodyBytes: number) {}

  static forRoot(options: ConsoleModuleOptions): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [PlatformModule.forRoot(options.platform)],
      controllers: [ChatController, AlertsController, RankingController, ModelsController],
      providers: [
        { provide: FACADE, useValue: options.facade },
        { provide: HUB, useValue: options.hub },
        { provide: MODELS, useValue: options.models },
        { provide: SSE_HEARTBEAT_MS, useValue: options.sseHeartbeatMs },
        { provide: MAX_BODY_BYTES, useValue: options.maxBodyBytes },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requireJsonMiddleware(), jsonBodyMiddleware(this.maxBodyBytes)).forRoutes({ path: 'api/{*path}', method: RequestMethod.POST });
  }
}
