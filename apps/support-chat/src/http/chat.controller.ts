/**
 * POST /v1/chat (JSON) and POST /v1/chat/stream (Server-Sent Events: `chunk` events, then
 * one `final` event with the whole turn). Errors before the stream starts answer with the
 * platform's JSON error body and status, like /v1/chat. A client that disconnects before the
 * answer is finished aborts the turn (the handler's `signal`, reason CANCELLED).
 */
import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { currentRequestId } from '@tuneline/platform';
import type { ChatReply } from '@tuneline/support';
import type { SupportChatService } from '../chat/support-chat.service';
import { chatRequestOf } from './request-bodies';
import { clientGoneSignal, writeSse } from './sse';
import { SUPPORT_CHAT_SERVICE } from './tokens';

@Controller('v1/chat')
export class ChatController {
  constructor(@Inject(SUPPORT_CHAT_SERVICE) private readonly chat: SupportChatService) {}

  @Post()
  @HttpCode(200)
  async chatTurn(@Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<ChatReply> {
    const signal = clientGoneSignal(res);
    return (await this.chat.turn({ ...chatRequestOf(body, currentRequestId()), signal })).response;
  }

  @Post('stream')
  async streamTurn(@Body() body: unknown, @Res() res: Response): Promise<void> {
    const signal = clientGoneSignal(res);
    const { chunks, final } = await this.chat.streamTurn({ ...chatRequestOf(body, currentRequestId()), signal });
    if (signal.aborted) return;
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    await writeSse(res, [...chunks.map((text, index) => ({ event: 'chunk', data: { index, text } })), { event: 'final', data: final }]);
  }
}
