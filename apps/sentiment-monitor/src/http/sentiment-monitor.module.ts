/** The HTTP side as a Nest module: the platform's probes, metrics, request ids, auth and error mapping, and the SSE alert stream. */
import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, type PlatformModuleOptions } from '@tuneline/platform';
import { AlertsController, type AlertStreamDeps } from './alerts.controller';
import { ALERT_STREAM_DEPS } from './tokens';

export interface SentimentMonitorModuleOptions {
  readonly platform: PlatformModuleOptions;
  readonly alerts: AlertStreamDeps;
  /** Retry-After of retriable 429/503 answers (gRPC gets the same as retry-after). */
  readonly retryAfterSeconds: number;
}

@Module({})
export class SentimentMonitorModule {
  static forRoot(options: SentimentMonitorModuleOptions): DynamicModule {
    return {
      module: SentimentMonitorModule,
      imports: [PlatformModule.forRoot({ ...options.platform, retryAfterMs: options.retryAfterSeconds * 1_000 })],
      controllers: [AlertsController],
      providers: [{ provide: ALERT_STREAM_DEPS, useValue: options.alerts }],
    };
  }
}
