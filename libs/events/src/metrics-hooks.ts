import type { EventsLogger } from './logger';

/**
 * Wraps a metrics-callback object so every named hook exists and none can throw into
 * the caller: a hook that throws is logged and ignored (metrics must never break
 * consumption). `names` lists every hook of H; absent ones become no-ops.
 */
export function guardHooks<H extends object>(hooks: H, names: readonly (keyof H & string)[], logger: EventsLogger): Required<H> {
  const guarded: Record<string, (info: unknown) => void> = {};
  for (const name of names) {
    guarded[name] = (info) => {
      const fn = hooks[name] as unknown;
      if (typeof fn !== 'function') return;
      try {
        (fn as (info: unknown) => void).call(hooks, info);
      } catch (err) {
        logger.warn({ err, hook: name }, 'metrics hook threw');
      }
    };
  }
  return guarded as unknown as Required<H>;
}
