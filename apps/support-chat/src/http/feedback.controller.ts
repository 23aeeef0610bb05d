/** POST /v1/feedback: was a reply helpful, and which intent would have been right. */
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import type { SupportChatService } from '../chat/support-chat.service';
import { feedbackRequestOf } from './request-bodies';
import { SUPPORT_CHAT_SERVICE } from './tokens';

@Controller('v1/feedback')
export class FeedbackController {
  constructor(@Inject(SUPPORT_CHAT_SERVICE) private readonly chat: SupportChatService) {}

  @Post()
  @HttpCode(200)
  async feedback(@Body() body: unknown): Promise<{ sessionId: string; requestId: string }> {
    const { sessionId, requestId } = await this.chat.feedback(feedbackRequestOf(body));
    return { sessionId, requestId };
  }
}
