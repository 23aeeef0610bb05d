/**
 * The HTTP side as a Nest module: the platform's probes, metrics, request ids, auth and
 * error mapping (PlatformModule), the body checks, the chat, session and feedback
 * controllers, and the shared SupportChatService both transports call.
 */
import { type DynamicModule, Inject, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { PlatformModule, jsonBodyMiddleware, requireJsonMiddleware, type PlatformModuleOptions } from '@tuneline/platform';
import type { SupportChatService } from '../chat/support-chat.service';
import { ChatController } from './chat.controller';
import { FeedbackController } from './feedback.controller';
import { SessionsController } from './sessions.controller';
import { BODY_OPTIONS, SUPPORT_CHAT_SERVICE } from './tokens';

export interface SupportChatModuleOptions {
  readonly platform: PlatformModuleOptions;
  readonly service: SupportChatService;
  /** Retry-After of retriable 429/503 answers (the platform's HttpErrorFilter; gRPC gets the same as retry-after). */
  readonly retryAfterSeconds: number;
  /** Largest accepted JSON body; larger ones are 413. */
  readonly maxBodyBytes: number;
}

@Module({})
export class SupportChatModule implements NestModule {
  constructor(@Inject(BODY_OPTIONS) private readonly body: { readonly maxBodyBytes: number }) {}

  static forRoot(options: SupportChatModuleOptions): DynamicModule {
    return {
      module: SupportChatModule,
      imports: [PlatformModule.forRoot({ ...options.platform, retryAfterMs: options.retryAfterSeconds * 1_000 })],
      controllers: [ChatController, SessionsController, FeedbackController],
      providers: [
        { provide: SUPPORT_CHAT_SERVICE, useValue: options.service },
        { provide: BODY_OPTIONS, useValue: { maxBodyBytes: options.maxBodyBytes } },
      ],
    };
  }

  /**
   * Body checks (415, JSON parse with 400/413) after PlatformModule's request id, metrics and
   * auth: Nest applies a global module's middleware (PlatformModule) before the root module's.
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requireJsonMiddleware(), jsonBodyMiddleware(this.body.maxBodyBytes)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
