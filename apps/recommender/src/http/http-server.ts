/** The Nest HTTP app on Express: the module's middleware (platform chain, then body checks) and routes. */
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { RecommenderModule, type RecommenderModuleOptions } from './recommender.module';

export interface HttpServerOptions extends RecommenderModuleOptions {
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
  const app = await NestFactory.create<NestExpressApplication>(RecommenderModule.forRoot(options), { bodyParser: false, logger: false });
  // No global body parser: RecommenderModule parses JSON after the platform's request id, metrics and auth.
  await app.listen(options.port, options.host);
  const address = app.getHttpServer().address() as { port: number } | null;
  return { app, port: address?.port ?? options.port, close: () => app.close() };
}
