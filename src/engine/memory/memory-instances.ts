import type { InstanceInfo } from '../engine.types.js';

/** The instance registry of the memory engine (it only ever sees its own process). */
export class MemoryInstances {
  private readonly instances = new Map<string, { info: InstanceInfo; liveUntil: number }>();

  heartbeat(instance: InstanceInfo, ttlMs: number): boolean {
    const wasRegistered = this.instances.has(instance.id);
    this.instances.set(instance.id, { info: { ...instance }, liveUntil: instance.lastHeartbeat + ttlMs });
    return wasRegistered;
  }

  live(now: number): InstanceInfo[] {
    const live = [...this.instances.values()].filter((i) => i.liveUntil > now).map((i) => ({ ...i.info }));
    return live.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  stale(now: number): string[] {
    return [...this.instances].filter(([, i]) => i.liveUntil <= now).map(([id]) => id);
  }

  forget(id: string): void {
    this.instances.delete(id);
  }
}
