/** gRPC health serving states, as names (the proto enum is mapped at the edge). */
export type ServingStatus = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

export interface ComponentState {
  name: string;
  ready: boolean;
  /** Required components gate readiness; optional ones are only reported. */
  required: boolean;
  /** Why it is not ready (or what it runs), for /readyz and logs. */
  detail?: string;
}

export interface Readiness {
  ready: boolean;
  shuttingDown: boolean;
  components: ComponentState[];
  /** Names of required components that are not ready. */
  notReady: string[];
}

type Listener = () => void;

/**
 * Per-component readiness of one process ('model', 'kafka', ...). The process
 * is ready when every required component is; a gRPC service name is SERVING
 * when the components it depends on are (all required ones by default).
 * Starting shutdown turns everything NOT_SERVING so load balancers drain us.
 */
export class HealthRegistry {
  private readonly components = new Map<string, ComponentState>();
  private readonly services = new Map<string, readonly string[] | undefined>();
  private readonly listeners = new Set<Listener>();
  private shuttingDown = false;

  /** Declares a component, not ready until setReady(name, true). */
  addComponent(name: string, options: { required?: boolean; ready?: boolean; detail?: string } = {}): this {
    if (this.components.has(name)) throw new RangeError(`health component "${name}" is already registered`);
    this.components.set(name, { name, ready: options.ready ?? false, required: options.required ?? true, detail: options.detail });
    this.emit();
    return this;
  }

  setReady(name: string, ready: boolean, detail?: string): void {
    const current = this.components.get(name);
    if (!current) throw new RangeError(`unknown health component "${name}"; call addComponent first`);
    if (current.ready === ready && current.detail === detail) return;
    this.components.set(name, { ...current, ready, detail });
    this.emit();
  }

  /**
   * Makes a gRPC service name known to health checks. `components` limits which
   * components it depends on; by default all required ones.
   */
  addService(serviceName: string, components?: readonly string[]): this {
    for (const c of components ?? []) {
      if (!this.components.has(c)) throw new RangeError(`service "${serviceName}" depends on unknown component "${c}"`);
    }
    this.services.set(serviceName, components);
    this.emit();
    return this;
  }

  hasService(serviceName: string): boolean {
    return serviceName === '' || this.services.has(serviceName);
  }

  isReady(): boolean {
    return !this.shuttingDown && [...this.components.values()].every((c) => c.ready || !c.required);
  }

  /** Status of a gRPC service name; '' is the whole server. */
  servingStatus(serviceName: string): ServingStatus {
    if (!this.hasService(serviceName)) return 'SERVICE_UNKNOWN';
    if (this.shuttingDown) return 'NOT_SERVING';
    const deps = serviceName === '' ? undefined : this.services.get(serviceName);
    const ok = deps ? deps.every((name) => this.components.get(name)?.ready === true) : this.isReady();
    return ok ? 'SERVING' : 'NOT_SERVING';
  }

  readiness(): Readiness {
    const components = [...this.components.values()].map((c) => ({ ...c }));
    return {
      ready: this.isReady(),
      shuttingDown: this.shuttingDown,
      components,
      notReady: components.filter((c) => c.required && !c.ready).map((c) => c.name),
    };
  }

  /** First step of shutdown: report NOT_SERVING everywhere from now on. */
  markShuttingDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.emit();
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Called after every change; returns an unsubscribe function. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
