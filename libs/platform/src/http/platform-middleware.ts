import type { NextFunction, Request, Response } from 'express';
import type { Authenticator } from '../auth/authenticator';
import type { Principal } from '../auth/principal';
import { DEFAULT_RETRY_AFTER_MS, retryAfterMsOf, retryAfterSeconds, toHttpErrorBody, toHttpStatus } from '../errors/status-mapping';
import { readinessResponse, livenessResponse } from '../health/http-health';
import type { HealthRegistry } from '../health/health-registry';
import type { Logger } from '../logging/create-logger';
import { runWithRequestId } from '../logging/request-context';
import { REQUEST_ID_HEADER, ensureRequestId, requestIdFromHeaders } from '../logging/request-id';
import type { PlatformMetrics } from '../metrics/platform-metrics';
import { codeFromHttpStatus } from './http-codes';

// Plain Express middleware: usable from a bare express app or a NestJS app
// (app.use / MiddlewareConsumer). Values are attached to res.locals.

export type Middleware = (req: Request, res: Response, next: NextFunction) => void;
export type ErrorMiddleware = (err: unknown, req: Request, res: Response, next: NextFunction) => void;

/** Paths that never need credentials: probes and scraping. */
export const DEFAULT_PUBLIC_PATHS: readonly string[] = ['/healthz', '/readyz', '/metrics'];

export interface PlatformLocals {
  requestId?: string;
  principal?: Principal;
}

export function localsOf(res: Response): PlatformLocals {
  return res.locals as PlatformLocals;
}

/** Reads or creates x-request-id, echoes it, and runs the rest of the request inside its context. */
export function requestIdMiddleware(): Middleware {
  return (req, res, next) => {
    const requestId = ensureRequestId(requestIdFromHeaders(req.headers));
    localsOf(res).requestId = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    runWithRequestId(requestId, next);
  };
}

/**
 * The matched route template ("/v1/items/:id"). Requests no handler matched
 * report "unmatched"; a catch-all route (e.g. Nest's "{*path}" middleware
 * mount) counts as unmatched too.
 */
function routeLabel(req: Request): string {
  const routePath = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof routePath === 'string' && !routePath.includes('*')) return `${req.baseUrl}${routePath}`;
  return DEFAULT_PUBLIC_PATHS.includes(req.path) ? req.path : 'unmatched';
}

/** Observes latency and errors per route template (never the raw URL, to bound label cardinality). */
export function httpMetricsMiddleware(metrics: PlatformMetrics): Middleware {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = routeLabel(req);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest('http', `${req.method} ${route}`, codeFromHttpStatus(res.statusCode), seconds);
    });
    next();
  };
}

/** Rejects unauthenticated requests with 401 JSON; stores the principal in res.locals. */
export function authMiddleware(authenticator: Authenticator, publicPaths: readonly string[] = DEFAULT_PUBLIC_PATHS): Middleware {
  return (req, res, next) => {
    if (authenticator.mode === 'off' || publicPaths.includes(req.path)) {
      next();
      return;
    }
    authenticator.authenticate(req.headers).then(
      (principal) => {
        localsOf(res).principal = principal;
        next();
      },
      (err: unknown) => {
        res.status(toHttpStatus(err)).json(toHttpErrorBody(err, localsOf(res).requestId));
      },
    );
  };
}

/** Serves GET /healthz, /readyz and /metrics; passes anything else on. */
export function platformRoutesMiddleware(deps: { health: HealthRegistry; metrics: PlatformMetrics }): Middleware {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    if (req.path === '/healthz' || req.path === '/readyz') {
      const answer = req.path === '/healthz' ? livenessResponse() : readinessResponse(deps.health);
      res.status(answer.status).json(answer.body);
      return;
    }
    if (req.path === '/metrics') {
      deps.metrics.render().then(
        (text) => res.status(200).type(deps.metrics.contentType).send(text),
        (err: unknown) => next(err),
      );
      return;
    }
    next();
  };
}

/**
 * Last middleware: maps any error to its status and a JSON body, logging server faults;
 * Retry-After on retriable 429/503 like HttpErrorFilter (`retryAfterMs` default 1000).
 */
export function httpErrorMiddleware(logger: Logger, options: { retryAfterMs?: number } = {}): ErrorMiddleware {
  return (err, _req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const httpStatus = toHttpStatus(err);
    if (httpStatus >= 500) logger.error({ err }, 'http request failed');
    const retryAfterMs = retryAfterMsOf(err, options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS);
    if (retryAfterMs !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds(retryAfterMs)));
    res.status(httpStatus).json(toHttpErrorBody(err, localsOf(res).requestId));
  };
}
