/**
 * Around the JSON body parser of the HTTP API, so transport errors get the
 * platform's JSON error body instead of Express's HTML page: a POST to /v1 that is not
 * `application/json` is 415, a body over the limit 413, malformed JSON 400.
 */
import type { NextFunction, Request, Response } from 'express';
import { PlatformError, ValidationError, toHttpErrorBody, describeError } from '@tuneline/platform';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

function send(res: Response, err: unknown): void {
  res.status(describeError(err).httpStatus).json(toHttpErrorBody(err));
}

/** 415 for a POST whose body is not JSON (an empty body is let through as `{}`: the handler names what is missing). */
export function requireJsonMiddleware(): Middleware {
  return (req, res, next) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (req.method === 'POST' && hasBody && !req.is('application/json')) {
      send(res, new PlatformError(`Content-Type must be application/json, got ${req.headers['content-type'] ?? 'none'}`, 'INVALID_ARGUMENT', { httpStatus: 415 }));
      return;
    }
    next();
  };
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Goes right after the JSON body parser (Nest's `useBodyParser('json', { limit })`): answers what it rejects. */
export function bodyParserErrorMiddleware(limitBytes: number): (err: unknown, req: Request, res: Response, next: NextFunction) => void {
  return (err, _req, res, next) => {
    const type = (err as BodyParserError | null)?.type;
    if (type === 'entity.parse.failed') return send(res, new ValidationError('request body is not valid JSON'));
    if (type === 'entity.too.large') return send(res, new ValidationError(`request body is larger than ${limitBytes} bytes`, { kind: 'too-large' }));
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return send(res, new PlatformError('unsupported body encoding or charset', 'INVALID_ARGUMENT', { httpStatus: 415 }));
    }
    next(err);
  };
}
