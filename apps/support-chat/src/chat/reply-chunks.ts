/**
 * Splits a finished reply into stream chunks: one per sentence or line, each keeping its
 * trailing whitespace, so joining the chunks gives the reply back exactly. A dot between two
 * digits ("1.5", "2.0.1") is part of a number, not a sentence end. (Presentation only; the
 * handler produces the whole reply at once.)
 */
export function replyChunks(reply: string): string[] {
  if (reply === '') return [];
  return reply.match(/(?:[^.!?。！？\n]|(?<=\d)\.(?=\d))*(?:[.!?。！？]+|\n+|$)\s*/gu)?.filter((c) => c !== '') ?? [reply];
}
