/**
 * `npm run -s grpc -- <app> <Method> '<json>'`: a small gRPC client for the platform's services
 * over the generated code in @tuneline/proto (no grpcurl or reflection needed). Usage in args.ts.
 */
import { readFileSync } from 'node:fs';
import { Client, Metadata, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { UsageError, USAGE, parseBody, parseGrpcArgs, type GrpcArgs } from './args';
import { SERVICES, codecOf } from './services';

function describe(err: ServiceError): string {
  return `${status[err.code] ?? err.code}: ${err.details || err.message}`;
}

async function call(args: GrpcArgs): Promise<void> {
  const entry = SERVICES[args.app];
  if (!entry) throw new UsageError(`unknown app ${args.app}`);
  const request = codecOf(entry, `${args.protoMethod}Request`);
  const response = codecOf(entry, `${args.protoMethod}Response`);
  const text = args.body === '-' ? readFileSync(0, 'utf8') : args.body;
  const message = request.fromJSON(parseBody(text));
  const client = new Client(args.address, credentials.createInsecure());
  const options = { deadline: Date.now() + args.deadlineMs };
  const { path, requestSerialize, responseDeserialize } = args.method;
  const serialize = (value: unknown): Buffer => requestSerialize(value as never);
  const print = (msg: unknown, pretty: boolean): void => {
    process.stdout.write(`${JSON.stringify(response.toJSON(msg as never), null, pretty ? 2 : undefined)}\n`);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      if (args.method.responseStream) {
        const stream = client.makeServerStreamRequest(path, serialize, responseDeserialize, message, new Metadata(), options);
        stream.on('data', (msg: unknown) => print(msg, false));
        stream.on('error', reject);
        stream.on('end', resolve);
      } else {
        client.makeUnaryRequest(path, serialize, responseDeserialize, message, new Metadata(), options, (err, msg) => {
          if (err) reject(err);
          else {
            print(msg, true);
            resolve();
          }
        });
      }
    });
  } finally {
    client.close();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  try {
    await call(parseGrpcArgs(argv, process.env));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`grpc: ${err.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (typeof (err as Partial<ServiceError>).code === 'number') {
      process.stderr.write(`grpc: ${describe(err as ServiceError)}\n`);
      process.exitCode = 1;
    } else {
      throw err;
    }
  }
}

void main();
