/**
 * The JSON body checks every HTTP service's Nest module applies, so transport errors get the
 * platform's JSON error body instead of Express's HTML page: a POST that is not
 * `application/json` is 415, a body over the limit 413, malformed JSON 400. Apply them after
 * PlatformModule's request-id, metrics and auth middleware, so refusals carry x-request-id,
 * are counted, and an unauthenticated caller gets 401 whatever its body.
 */
import { json, type NextFunction, type Request, type Response } from 'express';
import { PlatformError, ValidationError } from '../errors/platform-errors';
import { describeError, toHttpErrorBody } from '../errors/status-mapping';
import { localsOf } from './platform-middleware';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

function send(res: Response, err: unknown): void {
  res.status(describeError(err).httpStatus).json(toHttpErrorBody(err, localsOf(res).requestId));
}

/** 415 for a POST whose body is not JSON (an empty body is let through: the handler names what is missing). */
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

/** The JSON body parser (`limitBytes`) with its errors answered as JSON (400, 413, 415); anything else goes on to Nest. */
export function jsonBodyMiddleware(limitBytes: number): Middleware {
  const parse = json({ limit: limitBytes });
  return (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      if (err === undefined || err === null) return next();
      const type = (err as BodyParserError).type;
      if (type === 'entity.parse.failed') return send(res, new ValidationError('request body is not valid JSON'));
      if (type === 'entity.too.large') return send(res, new ValidationError(`request body is larger than ${limitBytes} bytes`, { kind: 'too-large' }));
      if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
        return send(res, new PlatformError('unsupported body encoding or charset', 'INVALID_ARGUMENT', { httpStatus: 415 }));
      }
      next(err);
    });
  };
}
