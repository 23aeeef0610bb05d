/** Who made a request, as established by the Authenticator. */
export interface Principal {
  /** Stable id safe to log: JWT `sub`, or a fingerprint of the API key (never the key). */
  subject: string;
  method: 'anonymous' | 'api-key' | 'jwt';
  /** Verified JWT claims (jwt method only). */
  claims?: Readonly<Record<string, unknown>>;
}

export const ANONYMOUS: Principal = Object.freeze({ subject: 'anonymous', method: 'anonymous' });
