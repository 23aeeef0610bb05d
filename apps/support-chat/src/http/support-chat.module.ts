/**
 * The HTTP side as a Nest module: the platform's probes, metrics, request ids, auth and
 * error mapping (PlatformModule), the chat, session and feedback controllers, and the shared
 * SupportChatService both transports call.
 */
import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, type PlatformModuleOptions } from '@tuneline/platform';
import type { SupportChatService } from '../chat/support-chat.service';
import { ChatController } from './chat.controller';
import { FeedbackController } from './feedback.controller';
import { SessionsController } from './sessions.controller';
import { RETRY_AFTER_OPTIONS, SUPPORT_CHAT_SERVICE } from './tokens';

export interface SupportChatModuleOptions {
  readonly platform: PlatformModuleOptions;
  readonly service: SupportChatService;
  readonly retryAfterSeconds: number;
}

@Module({})
export class SupportChatModule {
  static forRoot(options: SupportChatModuleOptions): DynamicModule {
    return {
      module: SupportChatModule,
      imports: [PlatformModule.forRoot(options.platform)],
      controllers: [ChatController, SessionsController, FeedbackController],
      providers: [
        { provide: SUPPORT_CHAT_SERVICE, useValue: options.service },
        { provide: RETRY_AFTER_OPTIONS, useValue: { seconds: options.retryAfterSeconds, logger: options.platform.logger } },
      ],
    };
  }
}
