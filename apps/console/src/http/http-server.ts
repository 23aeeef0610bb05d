/**
 * The console's HTTP server: Nest on Express with the /api routes, the platform's probes, and
 * the built SPA as static files (index.html for every other GET, so deep links load the app).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { Express, Request, Response } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConsoleModule, type ConsoleModuleOptions } from './console.module';

export interface HttpServerOptions extends ConsoleModuleOptions {
  readonly host: string;
  readonly port: number;
  /** Built SPA; undefined = API only (the page then says how to build it). */
  readonly staticDir: string | undefined;
}

export interface HttpServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const app = await NestFactory.create<NestExpressApplication>(ConsoleModule.forRoot(options), { bodyParser: false, logger: false });
  const staticDir = options.staticDir;
  if (staticDir && existsSync(join(staticDir, 'index.html'))) {
    app.useStaticAssets(staticDir, { index: 'index.html', maxAge: 0 });
  }
  // Without a built SPA, / says what to run instead of a bare 404.
  (app.getHttpAdapter().getInstance() as Express).get('/', (_req: Request, res: Response) => {
    res.status(503).type('text/plain').send('console SPA not built: run `npx nx run console:build-web` (npm start does)');
  });
  await app.listen(options.port, options.host);
  const address = app.getHttpServer().address() as { port: number } | null;
  return { port: address?.port ?? options.port, close: () => app.close() };
}
