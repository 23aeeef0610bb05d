import { readFileSync } from 'node:fs';
import { ChannelCredentials, ServerCredentials } from '@grpc/grpc-js';

/** PEM material for a server: its certificate and key, plus a CA to require client certificates (mTLS). */
export interface ServerTls {
  cert: Buffer;
  key: Buffer;
  /** When set, clients must present a certificate signed by this CA. */
  ca?: Buffer;
}

/** PEM material for a client: the CA that signed the server, and its own certificate for mTLS. */
export interface ClientTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** Reads TLS_CERT_FILE / TLS_KEY_FILE / TLS_CA_FILE; undefined when TLS is off (no cert configured). */
export function readServerTls(
  config: { TLS_CERT_FILE?: string; TLS_KEY_FILE?: string; TLS_CA_FILE?: string },
  readFile: (path: string) => Buffer = (path) => readFileSync(path),
): ServerTls | undefined {
  if (!config.TLS_CERT_FILE || !config.TLS_KEY_FILE) return undefined;
  return {
    cert: readFile(config.TLS_CERT_FILE),
    key: readFile(config.TLS_KEY_FILE),
    ca: config.TLS_CA_FILE ? readFile(config.TLS_CA_FILE) : undefined,
  };
}

export function serverCredentials(tls: ServerTls | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(tls.ca ?? null, [{ cert_chain: tls.cert, private_key: tls.key }], tls.ca !== undefined);
}

export function channelCredentials(tls: ClientTls | undefined): ChannelCredentials {
  if (!tls) return ChannelCredentials.createInsecure();
  return ChannelCredentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null);
}
