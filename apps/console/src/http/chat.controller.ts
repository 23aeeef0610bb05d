/** POST /api/chat, /api/chat/stream (SSE: chunk events then final), /api/chat/feedback. */
import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { describeError, localsOf } from '@tuneline/platform';
import type { ChatTurnJson, ConsoleFacade } from '@tuneline/console';
import { openSse } from './sse-response';
import { FACADE, SSE_HEARTBEAT_MS } from './tokens';

/** The request id this route sent support-chat with the turn (platform middleware → gRPC metadata) is the answer's feedback handle. */
function withTurnId(turn: ChatTurnJson, res: Response): ChatTurnJson {
  const requestId = localsOf(res).requestId;
  return requestId ? { ...turn, turnId: requestId } : turn;
}

@Controller('api/chat')
export class ChatController {
  constructor(
    @Inject(FACADE) private readonly facade: ConsoleFacade,
    @Inject(SSE_HEARTBEAT_MS) private readonly heartbeatMs: number,
  ) {}

  @Post()
  @HttpCode(200)
  async chat(@Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<ChatTurnJson> {
    return withTurnId(await this.facade.chat(body), res);
  }

  /**
   * The stream's headers go out with its first event: a service that is down, or refuses the
   * input, is a plain JSON error (503/4xx naming it) the page can show, not an empty stream.
   */
  @Post('stream')
  async stream(@Body() body: unknown, @Res({ passthrough: false }) res: Response): Promise<void> {
    const request = this.facade.parseChat(body);
    const abort = new AbortController();
    // The response's 'close', not the request's: the parsed POST body's request closed already (sse-response.ts).
    res.on('close', () => abort.abort());
    if (res.destroyed) abort.abort();
    const events = this.facade.streamChat(request, abort.signal)[Symbol.asyncIterator]();
    const first = await events.next(); // throws → HttpErrorFilter
    const sse = openSse(res, this.heartbeatMs);
    try {
      for (let step = first; !step.done; step = await events.next()) {
        const event = step.value;
        if (event.type === 'chunk') sse.send('chunk', event.chunk);
        else sse.send('final', withTurnId(event.turn, res));
      }
    } catch (err) {
      const d = describeError(err);
      sse.send('error', { error: { code: d.code, message: d.message, retriable: d.retriable } });
    } finally {
      sse.end();
    }
  }

  @Post('feedback')
  @HttpCode(200)
  feedback(@Body() body: unknown): Promise<{ ok: true }> {
    return this.facade.chatFeedback(body);
  }
}
