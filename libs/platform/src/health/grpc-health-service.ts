import { type ServerUnaryCall, type ServerWritableStream, type sendUnaryData, status } from '@grpc/grpc-js';
import { healthV1 } from '@tuneline/proto';
import type { HealthRegistry, ServingStatus } from './health-registry';

type HealthCheckRequest = healthV1.HealthCheckRequest;
type HealthCheckResponse = healthV1.HealthCheckResponse;
const Status = healthV1.HealthCheckResponse_ServingStatus;

const TO_PROTO: Record<ServingStatus, healthV1.HealthCheckResponse_ServingStatus> = {
  SERVING: Status.SERVING,
  NOT_SERVING: Status.NOT_SERVING,
  SERVICE_UNKNOWN: Status.SERVICE_UNKNOWN,
};

/**
 * grpc.health.v1.Health backed by a HealthRegistry, with the protocol's exact
 * semantics: Check on an unknown service fails NOT_FOUND; Watch sends the
 * current status at once (SERVICE_UNKNOWN for unknown names, without ending the
 * call) and then one message per change, until the client cancels.
 */
export function createHealthImplementation(registry: HealthRegistry): healthV1.HealthServer {
  return {
    check(call: ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, callback: sendUnaryData<HealthCheckResponse>) {
      const service = call.request.service;
      if (!registry.hasService(service)) {
        callback({ code: status.NOT_FOUND, details: `unknown service "${service}"` });
        return;
      }
      callback(null, { status: TO_PROTO[registry.servingStatus(service)] });
    },

    watch(call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>) {
      const service = call.request.service;
      let last: ServingStatus | undefined;
      const send = () => {
        const current = registry.servingStatus(service);
        if (current === last) return;
        last = current;
        call.write({ status: TO_PROTO[current] });
      };
      const unsubscribe = registry.onChange(send);
      const stop = () => unsubscribe();
      call.on('cancelled', stop);
      call.on('close', stop);
      call.on('error', stop);
      send();
    },
  };
}
