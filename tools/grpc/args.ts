/** Command line of tools/grpc/grpc.ts, parsed without side effects (args.spec.ts). */
import { SERVICES, findMethod, methodNames, type MethodDef } from './services';

export const USAGE = `usage: npm run -s grpc -- [--addr host:port] [--deadline-ms N] <app> <Method> ['<request JSON>' | -]
  <app>: ${Object.keys(SERVICES).join(', ')}; the address defaults to its *_GRPC_URL variable, else 127.0.0.1:<default port>
  <Method>: the proto name (e.g. Chat, StreamChat, ScoreTexts, Recommend); the request is proto3 JSON (camelCase), default {}; - reads stdin
  prints each response as JSON (one line per message of a stream); exit 1 on a gRPC error, 2 on bad usage`;

export class UsageError extends Error {}

export interface GrpcArgs {
  readonly app: string;
  readonly address: string;
  readonly protoMethod: string;
  readonly method: MethodDef;
  /** The request JSON text, or '-' for stdin. */
  readonly body: string;
  readonly deadlineMs: number;
}

const DEFAULT_DEADLINE_MS = 30_000;

export function parseGrpcArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): GrpcArgs {
  let address: string | undefined;
  let deadlineMs = DEFAULT_DEADLINE_MS;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--addr' || arg === '--deadline-ms') {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      if (arg === '--addr') address = value;
      else {
        deadlineMs = Number(value);
        if (!Number.isInteger(deadlineMs) || deadlineMs < 1) throw new UsageError(`--deadline-ms must be a positive integer, got ${value}`);
      }
    } else if (arg.startsWith('--')) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  const [app, methodName, body = '{}', ...extra] = positional;
  if (!app || !methodName) throw new UsageError('an app and a method are required');
  if (extra.length) throw new UsageError(`unexpected argument(s): ${extra.join(' ')} (quote the request JSON)`);
  const entry = SERVICES[app];
  if (!entry) throw new UsageError(`unknown app ${app}; one of ${Object.keys(SERVICES).join(', ')}`);
  const found = findMethod(entry, methodName);
  if (!found) throw new UsageError(`${app} has no method ${methodName}; one of ${methodNames(entry).join(', ')}`);
  if (found.def.requestStream) throw new UsageError(`${found.protoName} takes a request stream, which this client does not send`);
  const resolved = address ?? env[entry.addressEnv]?.trim() ?? `127.0.0.1:${entry.defaultPort}`;
  if (!/^[^\s:]+:\d{1,5}$/.test(resolved)) throw new UsageError(`the address must be host:port, got ${resolved}`);
  return { app, address: resolved, protoMethod: found.protoName, method: found.def, body, deadlineMs };
}

/** Parses the request JSON text into an object (a clear error instead of a stack). */
export function parseBody(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the request is not JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError('the request must be a JSON object');
  return value;
}
