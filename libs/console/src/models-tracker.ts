/**
 * The Models view's data: which version each service serves (the ModelRef of its latest
 * answer through the console, or of a harmless probe) and the model.published events as
 * they arrive (latest per model, plus listeners for the SSE stream).
 */
import type { ModelPublished } from '@tuneline/events';
import type { ModelRefJson, PublishedModelJson, ServiceName } from './types';

type Listener = (event: PublishedModelJson) => void;

export function publishedOf(event: ModelPublished): PublishedModelJson {
  return {
    model: event.model,
    version: event.version,
    task: event.task,
    publishedAt: new Date(event.publishedAt).toISOString(),
    metrics: { ...event.metrics },
  };
}

export class ModelsTracker {
  private readonly served = new Map<ServiceName, ModelRefJson>();
  private readonly latest = new Map<string, PublishedModelJson>();
  private readonly listeners = new Set<Listener>();

  /** Remembers the model a service answered with (every proxied answer carries one). */
  observe(service: ServiceName, model: ModelRefJson | undefined): void {
    if (model) this.served.set(service, model);
  }

  servedBy(service: ServiceName): ModelRefJson | undefined {
    return this.served.get(service);
  }

  publish(event: PublishedModelJson): void {
    this.latest.set(event.model, event);
    for (const l of this.listeners) l(event);
  }

  /** Latest event per model, newest first. */
  published(): PublishedModelJson[] {
    return [...this.latest.values()].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
