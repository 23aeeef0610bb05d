import { Server, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { healthV1 } from '@tuneline/proto';
import type { Authenticator } from '../auth/authenticator';
import { DEFAULT_BIND_HOST, DEFAULT_GRPC_MAX_MESSAGE_BYTES } from '../config/platform-config';
import { createHealthImplementation } from '../health/grpc-health-service';
import type { HealthRegistry } from '../health/health-registry';
import type { Logger } from '../logging/create-logger';
import type { PlatformMetrics } from '../metrics/platform-metrics';
import { type HandlerWrappers, createHandlerWrappers } from './handler-wrappers';
import { type ImplementationOf, serviceNameOf } from './service-types';
import { type ServerTls, serverCredentials } from './tls';

export interface GrpcServerOptions {
  /** 0.0.0.0 in containers, 127.0.0.1 for local-only. Default DEFAULT_BIND_HOST. */
  host?: string;
  /** 0 picks a free port (tests); listen() returns the bound one. */
  port: number;
  /** Largest message accepted or sent; larger ones fail RESOURCE_EXHAUSTED. Default 4 MiB. */
  maxMessageBytes?: number;
  tls?: ServerTls;
  authenticator?: Authenticator;
  /** retry-after / grpc-retry-pushback-ms for retriable RESOURCE_EXHAUSTED/UNAVAILABLE errors without their own hint. Default 1000. */
  retryAfterMs?: number;
  metrics: PlatformMetrics;
  logger: Logger;
  health: HealthRegistry;
}

export interface AddServiceOptions {
  /** Health components this service needs to be SERVING; default all required ones. */
  healthComponents?: readonly string[];
}

export interface GrpcServer extends HandlerWrappers {
  /** The underlying grpc-js server, for anything not covered here. */
  readonly server: Server;
  /** Registers an implementation (checked against the generated definition) and its health name. */
  addService<D extends Record<string, { path: string }>>(
    definition: D,
    implementation: ImplementationOf<D>,
    options?: AddServiceOptions,
  ): void;
  /** Binds and starts serving; resolves with the bound port. */
  listen(): Promise<number>;
  /** Bound port once listening. */
  readonly port: number | undefined;
  /** Stops accepting calls, lets running ones finish for up to graceMs, then cancels the rest. */
  shutdown(graceMs: number): Promise<void>;
}

/** A grpc-js server with the platform's health service, limits, TLS and handler wrappers. */
export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const maxBytes = options.maxMessageBytes ?? DEFAULT_GRPC_MAX_MESSAGE_BYTES;
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new RangeError(`port must be an integer in 0..65535, got ${options.port}`);
  }
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new RangeError(`maxMessageBytes must be a positive integer, got ${maxBytes}`);

  const server = new Server({
    'grpc.max_receive_message_length': maxBytes,
    'grpc.max_send_message_length': maxBytes,
  });
  const wrappers = createHandlerWrappers(options);
  const log = options.logger.child({ component: 'grpc-server' });
  let port: number | undefined;

  // Health stays unauthenticated and unmetered: probes hit it every few seconds.
  server.addService(
    healthV1.HealthService as ServiceDefinition,
    createHealthImplementation(options.health) as unknown as UntypedServiceImplementation,
  );

  return {
    server,
    ...wrappers,
    addService(definition, implementation, addOptions = {}) {
      const name = serviceNameOf(definition);
      server.addService(definition as unknown as ServiceDefinition, implementation as unknown as UntypedServiceImplementation);
      options.health.addService(name, addOptions.healthComponents);
    },
    get port() {
      return port;
    },
    async listen() {
      const host = options.host ?? DEFAULT_BIND_HOST;
      const address = host.includes(':') ? `[${host}]:${options.port}` : `${host}:${options.port}`;
      port = await new Promise<number>((resolve, reject) =>
        server.bindAsync(address, serverCredentials(options.tls), (err, bound) => (err ? reject(err) : resolve(bound))),
      );
      log.info({ host, port, tls: Boolean(options.tls), mtls: Boolean(options.tls?.ca), maxMessageBytes: maxBytes }, 'grpc listening');
      return port;
    },
    shutdown(graceMs) {
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          log.warn({ graceMs }, 'grpc calls still running after grace; cancelling them');
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}
