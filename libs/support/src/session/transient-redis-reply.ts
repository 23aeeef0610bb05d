/**
 * Redis error replies (ioredis's ReplyError, matched by name: ioredis is type-only here) that
 * say this server cannot serve right now, not that the command or the data is wrong: a primary
 * demoted by failover (READONLY), a server loading its dataset, busy in a script, out of memory,
 * or a cluster in transition. The same list as libs/platform's isTransientRedisReply, kept here
 * because libs/support loads no platform module (test/transport-free.spec.ts).
 */
const TRANSIENT_REPLY = /^(READONLY|LOADING|BUSY|MASTERDOWN|OOM|TRYAGAIN|CLUSTERDOWN)\b/;

export function isTransientRedisReply(err: unknown): boolean {
  return err instanceof Error && err.name === 'ReplyError' && TRANSIENT_REPLY.test(err.message);
}
