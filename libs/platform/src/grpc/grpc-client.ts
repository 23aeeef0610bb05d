import {
  type ChannelOptions,
  type Client,
  type ChannelCredentials,
  InterceptingCall,
  type Interceptor,
} from '@grpc/grpc-js';
import { API_KEY_HEADER } from '../auth/authenticator';
import { DEFAULT_GRPC_MAX_MESSAGE_BYTES } from '../config/platform-config';
import { currentRequestId } from '../logging/request-context';
import { REQUEST_ID_HEADER } from '../logging/request-id';
import { type ClientTls, channelCredentials } from './tls';

export interface GrpcClientOptions {
  /** Largest message sent or accepted. Default 4 MiB, like the server. */
  maxMessageBytes?: number;
  tls?: ClientTls;
  /** Sent as x-api-key on every call. */
  apiKey?: string;
  /** Sent as Authorization: Bearer on every call (JWT). */
  bearerToken?: string;
  channelOptions?: ChannelOptions;
}

type ClientConstructor<C extends Client> = new (
  address: string,
  credentials: ChannelCredentials,
  options?: Record<string, unknown>,
) => C;

/**
 * Adds credentials and the current x-request-id to every outgoing call, so a
 * request keeps its id across services. Metadata is used rather than call
 * credentials because grpc-js drops call credentials on insecure channels.
 */
function platformInterceptor(options: GrpcClientOptions): Interceptor {
  return (callOptions, nextCall) =>
    new InterceptingCall(nextCall(callOptions), {
      start(metadata, listener, next) {
        if (options.apiKey && metadata.get(API_KEY_HEADER).length === 0) metadata.set(API_KEY_HEADER, options.apiKey);
        if (options.bearerToken && metadata.get('authorization').length === 0) {
          metadata.set('authorization', `Bearer ${options.bearerToken}`);
        }
        const requestId = currentRequestId();
        if (requestId && metadata.get(REQUEST_ID_HEADER).length === 0) metadata.set(REQUEST_ID_HEADER, requestId);
        next(metadata, listener);
      },
    });
}

/** A client of a generated service (e.g. supportV1.SupportChatServiceClient) with the platform's defaults. */
export function createGrpcClient<C extends Client>(
  ClientClass: ClientConstructor<C>,
  address: string,
  options: GrpcClientOptions = {},
): C {
  const maxBytes = options.maxMessageBytes ?? DEFAULT_GRPC_MAX_MESSAGE_BYTES;
  return new ClientClass(address, channelCredentials(options.tls), {
    ...options.channelOptions,
    'grpc.max_receive_message_length': maxBytes,
    'grpc.max_send_message_length': maxBytes,
    interceptors: [platformInterceptor(options)],
  });
}
