import { Inject, Injectable } from '@nestjs/common';
import type { Event } from 'socket.io';
import type { ChatSocket } from '../chat/chat-socket.js';
import { ChatError } from '../common/errors/chat-error.js';
import { newId } from '../common/ids.js';
import { AppConfig } from '../config/app-config.js';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import type { AppendQuota } from '../engine/engine.types.js';
import type { ClientRecord } from '../engine/moderation.port.js';
import { SocketEjector } from '../realtime/socket-ejector.js';
import { LoadShedder } from './load-shedder.js';

/** A connection's token bucket (layer one): `tokens` as of `at` (ms). */
export interface TokenBucket {
  tokens: number;
  at: number;
}

/** The wait suggested to a connection refused by a cap: a slot frees when a connection closes. */
const CAP_RETRY_MS = 5000;

/**
 * Whether an event fans out to a room, so that it is refused while the instance is overloaded
 * (LoadShedder): a message, or the start of typing. The end of typing goes through, so that no
 * member is left seeing someone type (the server does not expire typing by itself).
 */
function fansOut(event: Event): boolean {
  const name: unknown = event[0];
  if (name === 'message:send') {
    return true;
  }
  return name === 'room:typing' && (event[1] as { typing?: unknown } | undefined)?.typing !== false;
}

/**
 * The Socket.IO limits. Layer one: a token bucket per connection on every client event, in
 * memory (a connection lives on one instance). Layer two: a sliding window per user on
 * `message:send`, in the engine so that it holds across instances. Handshakes: per IP per minute
 * and concurrent connections per user and per IP, checked before any expensive work.
 */
@Injectable()
export class SocketLimits {
  constructor(
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly config: AppConfig,
    private readonly ejector: SocketEjector,
    private readonly shedder: LoadShedder,
  ) {}

  /** Takes one token from the connection's bucket, or throws RATE_LIMITED with the wait. */
  takeEventToken(bucket: TokenBucket, now = Date.now()): void {
    const { socketBurst, socketEventsPerSecond } = this.config.limits;
    bucket.tokens = Math.min(socketBurst, bucket.tokens + ((now - bucket.at) / 1000) * socketEventsPerSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      const retryAfterMs = ((1 - bucket.tokens) / socketEventsPerSecond) * 1000;
      throw ChatError.rateLimited('Too many events on this connection; slow down', retryAfterMs);
    }
    bucket.tokens -= 1;
  }

  /** A full bucket for a new connection. */
  newBucket(now = Date.now()): TokenBucket {
    return { tokens: this.config.limits.socketBurst, at: now };
  }

  /**
   * Socket middleware (socket.use): every incoming event takes a token first; an event over the
   * limit is answered RATE_LIMITED (when it asks for an ack) and dropped. Then `refuse` may turn
   * the event away with an error of its own, answered and dropped the same way, and so does the
   * LoadShedder a fan-out event while the instance is overloaded. One middleware, so that a
   * connection keeps one closure for all of them.
   */
  eventMiddleware(refuse?: (event: Event) => ChatError | null): (event: Event, next: (err?: Error) => void) => void {
    const bucket = this.newBucket();
    return (event, next) => {
      let error: unknown;
      try {
        this.takeEventToken(bucket);
        error = refuse?.(event) ?? (fansOut(event) ? this.shedder.refusal() : null);
      } catch (thrown) {
        error = thrown;
      }
      if (error === null) {
        next();
        return;
      }
      const ack = event.at(-1) as unknown;
      if (typeof ack === 'function' && error instanceof ChatError) {
        (ack as (reply: unknown) => void)({ ok: false, error: error.toPayload() });
      }
    };
  }

  /**
   * Layer two: the user's sends in a sliding window, across the cluster. The quota goes with the
   * append (ChatEngine.appendMessage takes the hit in the same atomic step: one round trip per
   * message on Redis); a refused send takes no seq.
   */
  messageQuota(socket: ChatSocket): AppendQuota {
    const { limit, windowMs } = this.config.limits.messages;
    return { key: `msg:${socket.data.user.id}`, limit, windowMs, hitId: newId() };
  }

  /** A send the quota let through: the strikes start again. */
  messageAllowed(socket: ChatSocket): void {
    socket.data.strikes = 0;
  }

  /**
   * A send the quota refused: RATE_LIMITED to throw. It counts a strike; RATE_LIMIT_STRIKES
   * refusals in a row end the connection with a clear reason.
   */
  messageRefused(socket: ChatSocket, retryAfterMs: number): ChatError {
    const { limit, windowMs } = this.config.limits.messages;
    socket.data.strikes = (socket.data.strikes ?? 0) + 1;
    if (socket.data.strikes >= this.config.limits.strikes) {
      const reason = `Disconnected: kept sending after being rate limited (${limit} messages per ${windowMs / 1000} s)`;
      this.ejector.eject(
        { socketId: socket.id },
        { event: 'moderation:kicked', payload: { reason }, leaveReason: 'kicked' },
      );
    }
    return ChatError.rateLimited(`Too many messages: at most ${limit} per ${windowMs / 1000} s`, retryAfterMs);
  }

  /** Handshakes per IP per window, across the cluster; counted before the token is even read. */
  async admitHandshake(ip: string): Promise<void> {
    const { limit, windowMs } = this.config.limits.handshakes;
    const hit = await this.engine.rateLimits.hit(`handshake:${ip}`, limit, windowMs, Date.now(), newId());
    if (!hit.allowed) {
      throw ChatError.rateLimited(`Too many connection attempts from this address`, hit.retryAfterMs);
    }
  }

  /**
   * Registers the connection in the cluster-wide client registry if the user and the address hold
   * fewer than MAX_CONNECTIONS_PER_USER / MAX_CONNECTIONS_PER_IP connections (one atomic step).
   */
  async admitConnection(client: ClientRecord): Promise<void> {
    const { connectionsPerUser, connectionsPerIp } = this.config.limits;
    const outcome = await this.engine.clients.register(client, {
      perUser: connectionsPerUser,
      perIp: connectionsPerIp,
    });
    if (outcome === 'user-full') {
      throw ChatError.rateLimited(`Too many connections for this user (at most ${connectionsPerUser})`, CAP_RETRY_MS);
    }
    if (outcome === 'ip-full') {
      throw ChatError.rateLimited(`Too many connections from this address (at most ${connectionsPerIp})`, CAP_RETRY_MS);
    }
  }
}
