/** POST /v1/sessions/{id}/end: close a session or hand it off to a human agent. */
import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { EndSessionResult } from '@tuneline/support';
import type { SupportChatService } from '../chat/support-chat.service';
import { endRequestOf } from './request-bodies';
import { SUPPORT_CHAT_SERVICE } from './tokens';

@Controller('v1/sessions')
export class SessionsController {
  constructor(@Inject(SUPPORT_CHAT_SERVICE) private readonly chat: SupportChatService) {}

  /** The handoff payload (transcript, slots) goes to the agent queue, not back to the client. */
  @Post(':id/end')
  @HttpCode(200)
  async end(@Param('id') id: string, @Body() body: unknown): Promise<Omit<EndSessionResult, 'handoff'>> {
    const { sessionId, action, handoffTicketId, turnCount } = await this.chat.endSession(endRequestOf(id, body));
    return { sessionId, action, handoffTicketId, turnCount };
  }
}
