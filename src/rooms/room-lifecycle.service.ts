import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import { RealtimeService, type CloseReason } from '../realtime/realtime.service.js';

/** setTimeout cannot wait longer than this. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** How long to wait before trying again when the engine could not be read. */
const RETRY_MS = 1000;
/** Rooms closed per sweep before yielding to the event loop. */
const SWEEP_BATCH = 100;

/**
 * Closes rooms: on request (owner, admin) and on time when they expire. Expiry keeps one timer set
 * for the earliest `expiresAt` the engine knows, so nothing polls the whole keyspace.
 */
@Injectable()
export class RoomLifecycleService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RoomLifecycleService.name);
  private timer?: NodeJS.Timeout;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly realtime: RealtimeService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Closes the room if it still exists; members get `room:closed`. False when already gone. */
  async close(roomId: string, reason: CloseReason): Promise<boolean> {
    const removed = await this.engine.deleteRoom(roomId);
    if (!removed) {
      return false;
    }
    this.realtime.roomClosed(roomId, reason);
    return true;
  }

  /** Makes sure a sweep runs no later than `at`. */
  scheduleExpiry(at: number): void {
    if (this.stopped || at >= this.timerAt) {
      return;
    }
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => void this.sweep(), Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS));
  }

  /** Closes every room that is due, then waits for the next one. */
  private async sweep(): Promise<void> {
    this.timerAt = Number.POSITIVE_INFINITY;
    this.timer = undefined;
    try {
      const due = await this.engine.dueRooms(Date.now(), SWEEP_BATCH);
      for (const roomId of due) {
        await this.close(roomId, 'expired');
      }
    } catch (error) {
      // Back off instead of sweeping again at once: the engine is likely unreachable.
      this.logger.error(`Expiry sweep failed: ${String(error)}`);
      this.scheduleExpiry(Date.now() + RETRY_MS);
      return;
    }
    await this.refresh();
  }

  /**
   * Sets the timer for the earliest expiry the engine knows. Called at boot, after each sweep and,
   * with a shared engine, on every heartbeat so that rooms created by other instances close here
   * too (the engine then lets exactly one instance close each room).
   */
  async refresh(): Promise<void> {
    try {
      const next = await this.engine.nextExpiry();
      if (next !== null) {
        this.scheduleExpiry(next);
      }
    } catch (error) {
      this.logger.error(`Could not read the next expiry: ${String(error)}`);
      this.scheduleExpiry(Date.now() + RETRY_MS);
    }
  }
}
