import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { AppConfig } from '../config/app-config.js';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import type { InstanceInfo, ReapedSeat } from '../engine/engine.types.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { RoomLifecycleService } from '../rooms/room-lifecycle.service.js';
import { InstanceIdentity } from './instance-identity.js';

/**
 * Keeps this instance in the registry (a heartbeat with its figures every HEARTBEAT_INTERVAL_MS)
 * and cleans up after instances that died without a goodbye: their sockets' seats are released
 * and their rooms told `room:member-left {reason:"disconnected"}`. Each tick also re-reads the
 * next room expiry, so rooms created on other instances close here on time if theirs is gone.
 */
@Injectable()
export class ClusterService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ClusterService.name);
  private readonly lag: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  private timer?: NodeJS.Timeout;
  private failing = false;
  /** No instance is declared dead before this time (see `tick`). */
  private reapNotBefore = 0;

  constructor(
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly identity: InstanceIdentity,
    private readonly config: AppConfig,
    private readonly realtime: RealtimeService,
    private readonly lifecycle: RoomLifecycleService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.lag.enable();
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.config.cluster.heartbeatIntervalMs);
    this.timer.unref();
  }

  /** Leaves the registry with a goodbye: this instance's seats are released at once. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.lag.disable();
    try {
      this.announce(await this.engine.reapInstance(this.identity.id));
    } catch (error) {
      this.logger.warn(`Could not leave the registry: ${String(error)}`);
    }
  }

  /** This instance as the registry shows it. */
  snapshot(now: number): InstanceInfo {
    const memory = process.memoryUsage();
    return {
      id: this.identity.id,
      host: this.identity.host,
      pid: this.identity.pid,
      version: this.identity.version,
      startedAt: this.identity.startedAt,
      lastHeartbeat: now,
      connections: this.realtime.chat.sockets.size,
      memory: { rss: memory.rss, heapUsed: memory.heapUsed },
      eventLoopLagMs: Math.round((this.lag.mean / 1e6) * 100) / 100,
    };
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    try {
      const { instanceTtlMs } = this.config.cluster;
      await this.engine.heartbeat(this.snapshot(now), instanceTtlMs);
      this.lag.reset();
      if (this.failing) {
        // The store was unreachable, for the other instances too: their silence proves nothing
        // until they have had one TTL to be heard again.
        this.reapNotBefore = now + instanceTtlMs;
      }
      if (now >= this.reapNotBefore) {
        await this.reapStale(now);
      }
      await this.lifecycle.refresh();
      this.failing = false;
    } catch (error) {
      if (!this.failing) {
        this.logger.warn(`Heartbeat failed: ${String(error)}`);
      }
      this.failing = true;
    }
  }

  /** Releases the seats of every other instance whose registry entry expired. */
  private async reapStale(now: number): Promise<void> {
    for (const id of await this.engine.staleInstances(now)) {
      if (id !== this.identity.id) {
        const seats = await this.engine.reapInstance(id);
        this.logger.warn(`Instance ${id} stopped answering: released ${seats.length} socket seat(s)`);
        this.announce(seats);
      }
    }
  }

  private announce(seats: ReapedSeat[]): void {
    for (const seat of seats.filter((s) => s.lastSocket)) {
      this.realtime.memberLeft(seat.roomId, seat.user, seat.memberCount, 'disconnected');
    }
  }
}
