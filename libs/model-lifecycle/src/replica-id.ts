import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Group ids become DLQ topic names in @tuneline/events, so keep to Kafka's topic characters. */
function safe(part: string): string {
  return part.replace(/[^a-zA-Z0-9._-]/g, '-').slice(0, 100);
}

/**
 * A replica's id: host name (the pod name on Kubernetes) + pid + a short random suffix, so
 * two processes on one host, or a restarted pod with pid 1 again, never share a group.
 */
export function defaultReplicaId(): string {
  return safe(`${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`);
}

/**
 * One consumer group per replica: model.published is a broadcast, and a shared group would
 * hand each record to one replica only, leaving the others on the old version.
 */
export function followerGroupId(service: string, replicaId: string): string {
  if (!service) throw new TypeError('service: expected a non-empty service name');
  if (!replicaId) throw new TypeError('replicaId: expected a non-empty replica id');
  return `${safe(service)}.model-lifecycle.${safe(replicaId)}`;
}
