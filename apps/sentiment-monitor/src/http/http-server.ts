/** The Nest HTTP app on Express: the platform chain and the alert stream. */
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SentimentMonitorModule, type SentimentMonitorModuleOptions } from './sentiment-monitor.module';

export interface HttpServerOptions extends SentimentMonitorModuleOptions {
  readonly host: string;
  readonly port: number;
}

export interface HttpServer {
  readonly app: INestApplication;
  /** Bound port (0 asked = the one the OS gave). */
  readonly port: number;
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  // No body parser: the service has no request bodies (GET only besides the probes).
  const app = await NestFactory.create<NestExpressApplication>(SentimentMonitorModule.forRoot(options), { bodyParser: false, logger: false });
  await app.listen(options.port, options.host);
  const address = app.getHttpServer().address() as { port: number } | null;
  return { app, port: address?.port ?? options.port, close: () => app.close() };
}
