/** The console's Nest module: the platform chassis (probes, metrics, errors) and the /api routes. */
import { type DynamicModule, Module } from '@nestjs/common';
import type { AlertHub, ConsoleFacade, ModelsTracker } from '@tuneline/console';
import { PlatformModule, type PlatformModuleOptions } from '@tuneline/platform';
import { AlertsController } from './alerts.controller';
import { ChatController } from './chat.controller';
import { ModelsController } from './models.controller';
import { RankingController } from './ranking.controller';
import { FACADE, HUB, MODELS, SSE_HEARTBEAT_MS } from './tokens';

export interface ConsoleModuleOptions {
  readonly platform: PlatformModuleOptions;
  readonly facade: ConsoleFacade;
  readonly hub: AlertHub;
  readonly models: ModelsTracker;
  readonly sseHeartbeatMs: number;
}

@Module({})
export class ConsoleModule {
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
      ],
    };
  }
}
