import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import type { AuthUser } from '../auth/auth-user.js';
import type { ChatSocketData } from '../chat/chat-socket.js';
import { CHAT_ENGINE, SOCKET_ADAPTER, type ChatEngine, type SocketAdapterFactory } from '../engine/engine.port.js';
import { toMessageDto } from '../rooms/room.mapper.js';
import { roomChannel, userChannel } from './channels.js';

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
  private namespace?: Namespace;

  constructor(
    @Inject(SOCKET_ADAPTER) private readonly adapter: SocketAdapterFactory | null,
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
  ) {}

  /**
   * `message:new` comes from the engine, not through the Socket.IO adapter: the engine publishes a
   * message in the same atomic step that gives it its seq, so every instance hands a room's
   * messages to its local sockets in seq order, whichever instances sent them.
   */
  async onModuleInit(): Promise<void> {
    await this.engine.subscribeMessages((message) => {
      this.namespace?.local.to(roomChannel(message.roomId)).emit('message:new', toMessageDto(message));
    });
  }

  attach(namespace: Namespace): void {
    this.namespace = namespace;
    namespace.on(RENAMED, (user: AuthUser) => void this.renameLocalSockets(user));
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
