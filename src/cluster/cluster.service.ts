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
import { clientRecord, type ChatSocket } from '../chat/chat-socket.js';
import { roomChannel, roomIdOfChannel } from '../realtime/channels.js';
import { LoadShedder } from '../rate-limit/load-shedder.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { RoomLifecycleService } from '../rooms/room-lifecycle.service.js';
import { GracefulShutdown } from './graceful-shutdown.service.js';
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
  /** Whether this instance has been in the registry (its first heartbeat went through). */
  private registered = false;
  /** Set until a re-seat after being taken for dead has gone through completely. */
  private needsReseat = false;
  /** No instance is declared dead before this time (see `tick`). */
  private reapNotBefore = 0;

  constructor(
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly identity: InstanceIdentity,
    private readonly config: AppConfig,
    private readonly realtime: RealtimeService,
    private readonly lifecycle: RoomLifecycleService,
    private readonly shutdown: GracefulShutdown,
    private readonly shedder: LoadShedder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.lag.enable();
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.config.cluster.heartbeatIntervalMs);
    this.timer.unref();
  }

  /**
   * Hands the clients over (GracefulShutdown), then leaves the registry with a goodbye: this
   * instance's seats and clients are released at once.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.shutdown.drain();
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
    // The histogram's mean is NaN until it has a sample (right after boot or a reset): that is no lag.
    const lagNs = Number.isFinite(this.lag.mean) ? this.lag.mean : 0;
    return {
      id: this.identity.id,
      host: this.identity.host,
      pid: this.identity.pid,
      version: this.identity.version,
      startedAt: this.identity.startedAt,
      lastHeartbeat: now,
      connections: this.realtime.chat.sockets.size,
      memory: { rss: memory.rss, heapUsed: memory.heapUsed },
      eventLoopLagMs: Math.round((lagNs / 1e6) * 100) / 100,
      users: this.realtime.localUsers,
      messagesLastMinute: this.realtime.messagesSent.total(now),
      overloadRefusalsLastMinute: this.shedder.refusedLastMinute(now),
    };
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    try {
      const { instanceTtlMs } = this.config.cluster;
      const { wasRegistered } = await this.engine.heartbeat(this.snapshot(now), instanceTtlMs);
      this.lag.reset();
      if (!wasRegistered && this.registered) {
        // Another instance took this one for dead (it could not reach the store for a while) and
        // released its seats: take them back for the sockets that are still here.
        this.needsReseat = true;
      }
      this.registered = true;
      if (this.needsReseat) {
        await this.reseat();
        this.needsReseat = false;
      }
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

  /**
   * Registers every local socket again and seats it again in the rooms it is in. A seat that is
   * gone for good (the room closed, or filled up meanwhile) is given up: the socket leaves the
   * room and is told so.
   */
  private async reseat(): Promise<void> {
    const now = Date.now();
    for (const socket of this.realtime.chat.sockets.values() as Iterable<ChatSocket>) {
      await this.engine.clients.register(clientRecord(socket, this.identity.id));
      const user = socket.data.user;
      for (const roomId of [...socket.rooms].map(roomIdOfChannel).filter((id): id is string => id !== null)) {
        const seat = await this.engine.joinRoom(roomId, user, socket.id, now);
        if (seat.status === 'joined') {
          if (seat.firstSocket) {
            this.realtime.memberJoined(roomId, user, seat.memberCount);
          }
          continue;
        }
        await socket.leave(roomChannel(roomId));
        if (seat.status === 'missing') {
          socket.emit('room:closed', { roomId, reason: 'deleted' });
        } else {
          const memberCount = (await this.engine.getRoom(roomId, now))?.memberCount ?? 0;
          socket.emit('room:member-left', { roomId, user, memberCount, reason: 'disconnected' });
        }
      }
    }
    this.logger.warn('This instance had been taken for dead: its sockets were seated again');
  }

  private announce(seats: ReapedSeat[]): void {
    for (const seat of seats.filter((s) => s.lastSocket)) {
      this.realtime.memberLeft(seat.roomId, seat.user, seat.memberCount, 'disconnected');
    }
  }
}
