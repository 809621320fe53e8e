import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import type { AuthUser } from '../auth/auth-user.js';
import type { ChatSocketData } from '../chat/chat-socket.js';
import { AppConfig } from '../config/app-config.js';
import { CHAT_ENGINE, SOCKET_ADAPTER, type ChatEngine, type SocketAdapterFactory } from '../engine/engine.port.js';
import type { MessageRecord } from '../engine/engine.types.js';
import { toMessageDto } from '../rooms/room.mapper.js';
import { isUserChannel, roomChannel, userChannel } from './channels.js';
import { RateMeter } from './rate-meter.js';

export type LeaveReason = 'left' | 'disconnected' | 'kicked' | 'banned';

/** Server-to-server event: a user was renamed; every instance updates its own sockets of that user. */
const RENAMED = 'parley:user-renamed';

export type CloseReason = 'expired' | 'deleted' | 'closed-by-admin';

/**
 * The services' handle on the `/chat` namespace, so that REST actions and timers (room closed,
 * message deleted) reach connected clients without depending on the gateway.
 */
@Injectable()
export class RealtimeService implements OnModuleInit {
  private readonly logger = new Logger(RealtimeService.name);
  /** Messages stored through this instance (user messages and room announcements). */
  readonly messagesSent = new RateMeter();
  private namespace?: Namespace;
  /** The user channels in this instance's adapter (see attach). */
  private users = 0;
  /** roomId → seq of the last message handed to this instance's sockets (rooms with local sockets). */
  private readonly delivered = new Map<string, number>();
  /** roomId → the delivery in progress; a room's messages are handed over one after another. */
  private readonly deliveries = new Map<string, Promise<void>>();

  constructor(
    @Inject(SOCKET_ADAPTER) private readonly adapter: SocketAdapterFactory | null,
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly config: AppConfig,
  ) {}

  /**
   * `message:new` comes from the engine, not through the Socket.IO adapter: the engine publishes a
   * message in the same atomic step that gives it its seq, so every instance hands a room's
   * messages to its local sockets in seq order, whichever instances sent them.
   */
  async onModuleInit(): Promise<void> {
    await this.engine.subscribeMessages((message) => this.deliver(message));
  }

  /**
   * Hands a message over at once when the room has no delivery in progress and nothing is missing
   * before it (the common case: no Promise, no queue); otherwise queues it behind the room's
   * earlier ones.
   */
  private deliver(message: MessageRecord): void {
    const { roomId } = message;
    const failed = (error: unknown): void => this.logger.warn(`Delivery to room ${roomId} failed: ${String(error)}`);
    const pending = this.deliveries.get(roomId);
    let next: Promise<void> | undefined;
    try {
      next = pending ? pending.then(() => this.handOver(message)) : this.handOver(message);
    } catch (error) {
      failed(error);
      return;
    }
    if (!next) {
      return;
    }
    const queued = next.catch(failed);
    this.deliveries.set(roomId, queued);
    void queued.finally(() => {
      if (this.deliveries.get(roomId) === queued) {
        this.deliveries.delete(roomId);
      }
    });
  }

  /**
   * Hands a message to this instance's sockets in the room. seq has no holes, so a message that is
   * more than one ahead of the last one handed over means publications were lost (a pub/sub
   * reconnect): the missing ones are read from history and handed over first. Returns a Promise
   * only in that case.
   */
  private handOver(message: MessageRecord): Promise<void> | undefined {
    const channel = roomChannel(message.roomId);
    const namespace = this.namespace;
    if (!namespace?.adapter.rooms.has(channel)) {
      this.delivered.delete(message.roomId);
      return undefined;
    }
    const last = this.delivered.get(message.roomId);
    if (last !== undefined && message.seq <= last) {
      return undefined;
    }
    if (last !== undefined && message.seq > last + 1) {
      return this.handOverAfterGap(message, last);
    }
    namespace.local.to(channel).emit('message:new', toMessageDto(message));
    this.delivered.set(message.roomId, message.seq);
    return undefined;
  }

  private async handOverAfterGap(message: MessageRecord, last: number): Promise<void> {
    const limit = Math.min(message.seq - last - 1, this.config.rooms.historySize);
    const missed = await this.engine.getMessages(message.roomId, { after: last, before: message.seq, limit });
    const local = this.chat.local.to(roomChannel(message.roomId));
    for (const lost of missed) {
      local.emit('message:new', toMessageDto(lost));
    }
    local.emit('message:new', toMessageDto(message));
    this.delivered.set(message.roomId, message.seq);
  }

  attach(namespace: Namespace): void {
    this.namespace = namespace;
    namespace.on(RENAMED, (user: AuthUser) => void this.renameLocalSockets(user));
    // Every socket is in its user's channel: the user channels that exist are the local users.
    // Kept up to date as the adapter creates and deletes channels: walking every channel of the
    // instance for each heartbeat cost a few ms a second with 10,000 sockets (a CPU profile).
    const { adapter } = namespace;
    this.users = 0;
    for (const channel of adapter.rooms.keys()) {
      this.users += isUserChannel(channel) ? 1 : 0;
    }
    adapter.on('create-room', (channel: string) => {
      this.users += isUserChannel(channel) ? 1 : 0;
    });
    adapter.on('delete-room', (channel: string) => {
      this.users -= isUserChannel(channel) ? 1 : 0;
    });
  }

  /** Distinct users with a socket on this instance. */
  get localUsers(): number {
    return this.users;
  }

  get chat(): Namespace {
    if (!this.namespace) {
      throw new Error('The /chat namespace is not initialised yet');
    }
    return this.namespace;
  }

  /** Tells every socket in the room that it is closed, then takes them all out of it. */
  roomClosed(roomId: string, reason: CloseReason): void {
    if (!this.namespace) {
      return;
    }
    const channel = roomChannel(roomId);
    this.namespace.to(channel).emit('room:closed', { roomId, reason });
    this.namespace.in(channel).socketsLeave(channel);
  }

  /** `room:member-joined` to everyone in the room but the user's own sockets (on every instance). */
  memberJoined(roomId: string, user: AuthUser, memberCount: number): void {
    this.chat
      .to(roomChannel(roomId))
      .except(userChannel(user.id))
      .emit('room:member-joined', { roomId, user, memberCount });
  }

  /** `room:member-left` to everyone in the room (on every instance). */
  memberLeft(roomId: string, user: AuthUser, memberCount: number, reason: LeaveReason, except?: string): void {
    const target = this.chat.to(roomChannel(roomId));
    (except ? target.except(except) : target).emit('room:member-left', { roomId, user, memberCount, reason });
  }

  /** Gives every socket of the user, on every instance, its new name. */
  async userRenamed(user: AuthUser): Promise<void> {
    await this.renameLocalSockets(user);
    if (this.adapter) {
      this.chat.serverSideEmit(RENAMED, user);
    }
  }

  private async renameLocalSockets(user: AuthUser): Promise<void> {
    for (const socket of await this.chat.in(userChannel(user.id)).local.fetchSockets()) {
      (socket.data as ChatSocketData).user = user;
    }
  }
}
