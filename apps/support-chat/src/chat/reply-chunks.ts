/**
 * Splits a finished reply into stream chunks: one per sentence or line, each keeping its
 * trailing whitespace, so joining the chunks gives the reply back exactly. (Presentation
 * only; the handler produces the whole reply at once.)
 */
export function replyChunks(reply: string): string[] {
  if (reply === '') return [];
  return reply.match(/[^.!?。！？\n]*(?:[.!?。！？]+|\n+|$)\s*/gu)?.filter((c) => c !== '') ?? [reply];
}
