import { ModelFetchError } from '../errors';

/** More hops than the Hub ever uses (resolve → LFS/CDN); a loop fails instead of spinning. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface FollowedResponse {
  readonly response: Response;
  /** Every response header of that name along the chain, first hop first (the Hub puts X-Linked-Etag on its redirect). */
  readonly headerSeen: (name: string) => string | undefined;
}

/**
 * GETs `url`, following redirects by hand so credentials stay with their origin: the
 * Authorization header is dropped once a hop leaves the first URL's origin, as curl and
 * browsers do (a Hub token must never reach a CDN or whatever a redirect names).
 */
export async function fetchFollowingRedirects(
  url: string,
  authorization: string | undefined,
  fetchImpl: typeof fetch,
): Promise<FollowedResponse> {
  const origin = new URL(url).origin;
  const seen: Headers[] = [];
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const sameOrigin = new URL(current).origin === origin;
    const headers: Record<string, string> = authorization && sameOrigin ? { authorization } : {};
    const response = await fetchImpl(current, { headers, redirect: 'manual' });
    seen.push(response.headers);
    const location = response.headers.get('location');
    if (!REDIRECT_STATUSES.has(response.status)) {
      return { response, headerSeen: (name) => firstHeader(seen, name) };
    }
    await response.body?.cancel();
    if (!location) throw new ModelFetchError(`${current}: redirect without location`);
    current = new URL(location, current).toString();
  }
  throw new ModelFetchError(`${url}: more than ${MAX_REDIRECTS} redirects`);
}

function firstHeader(chain: readonly Headers[], name: string): string | undefined {
  for (const h of chain) {
    const v = h.get(name);
    if (v !== null) return v;
  }
  return undefined;
}
