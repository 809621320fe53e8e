import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { ChatError } from '../common/errors/chat-error.js';
import { AppConfig } from '../config/app-config.js';
import { RateMeter } from '../realtime/rate-meter.js';

/** How often the shedder's timer asks the event loop for a turn. */
export const SHED_TICK_MS = 100;

/** The longest wait a refusal suggests, however far behind the loop is. */
export const MAX_RETRY_AFTER_MS = 10_000;

/** An episode of overload (one warning as it starts, one as it ends) ends after this long without a refusal. */
export const EPISODE_QUIET_MS = 5000;

/**
 * Overload protection: while this instance's event loop is more than OVERLOAD_LAG_MS behind, the
 * events that fan out to a room (`message:send`, `room:typing`) are refused `RATE_LIMITED` before
 * the handlers do any work for them, so that the instance catches up instead of queueing a
 * backlog until its clients' heartbeats time out. A refusal costs a parse and an ack; a message
 * costs a write to every member.
 *
 * Behind means either of: the timer came late by more than the threshold at its last turn (the
 * loop has just been blocked: refused until a turn comes on time), or it is overdue by more than
 * the threshold now (the current turn of the loop has been running that long). Under overload
 * the second one decides: a turn that reads thousands of sockets' frames runs past a second.
 * Time is the monotonic clock (`performance.now()`): a step of the wall clock is no lag.
 *
 * An episode (a warning as it starts, one with the count as it ends) lasts until EPISODE_QUIET_MS
 * pass without a refusal, so that an overload that comes and goes every few seconds is logged once.
 */
@Injectable()
export class LoadShedder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LoadShedder.name);
  private readonly thresholdMs: number;
  private timer?: NodeJS.Timeout;
  /** When the timer was started or last had its turn (monotonic ms); 0 while stopped: nothing is refused. */
  private lastTick = 0;
  /** How late the timer's last turn came, when that was more than the threshold; else 0. */
  private lateBy = 0;
  /** Refusals since this episode of overload began (0: none going on). */
  private refused = 0;
  private episodeStart = 0;
  private lastRefusal = 0;
  /** Every refusal, for the instance's figures (GET /admin/instances). */
  private readonly refusals = new RateMeter();

  constructor(config: AppConfig) {
    this.thresholdMs = config.limits.overloadLagMs;
  }

  onApplicationBootstrap(): void {
    if (this.thresholdMs === 0) {
      return;
    }
    this.lastTick = performance.now();
    this.timer = setInterval(() => this.tick(), SHED_TICK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.lastTick = 0;
    if (this.refused > 0) {
      this.endEpisode('Shutting down');
    }
  }

  /** RATE_LIMITED to refuse a fan-out event with while the instance is behind; null otherwise. */
  refusal(now = performance.now()): ChatError | null {
    if (this.lastTick === 0) {
      return null;
    }
    const behind = Math.max(this.lateBy, now - this.lastTick - SHED_TICK_MS);
    if (behind <= this.thresholdMs) {
      return null;
    }
    if (this.refused === 0) {
      this.episodeStart = now;
      this.logger.warn(
        `Event loop ${Math.round(behind)} ms behind: refusing message:send and room:typing ` +
          `with RATE_LIMITED while it is more than OVERLOAD_LAG_MS=${this.thresholdMs} ms behind`,
      );
    }
    this.refused += 1;
    this.lastRefusal = now;
    this.refusals.mark();
    return ChatError.rateLimited('The server is overloaded; retry shortly', Math.min(behind, MAX_RETRY_AFTER_MS));
  }

  /** Fan-out events this instance refused for overload in the last minute (`now`: wall-clock ms, as Date.now()). */
  refusedLastMinute(now = Date.now()): number {
    return this.refusals.total(now);
  }

  private tick(): void {
    const now = performance.now();
    const late = now - this.lastTick - SHED_TICK_MS;
    this.lateBy = late > this.thresholdMs ? late : 0;
    this.lastTick = now;
    if (this.lateBy === 0 && this.refused > 0 && now - this.lastRefusal >= EPISODE_QUIET_MS) {
      this.endEpisode('Caught up');
    }
  }

  /** The episode's second warning: how many events it refused, from the first refusal to the last. */
  private endEpisode(what: string): void {
    const seconds = ((this.lastRefusal - this.episodeStart) / 1000).toFixed(1);
    this.logger.warn(`${what}: refused ${this.refused} events over ${seconds} s of overload`);
    this.refused = 0;
  }
}
