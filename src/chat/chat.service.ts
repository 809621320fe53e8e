import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { TokenService } from '../auth/token.service.js';
import { ChatError } from '../common/errors/chat-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { newId } from '../common/ids.js';
import { AppConfig } from '../config/app-config.js';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import type { MessageRecord, RoomState } from '../engine/engine.types.js';
import { roomChannel, roomIdOfChannel, userChannel } from '../realtime/channels.js';
import { BansService } from '../moderation/bans.service.js';
import { SocketLimits } from '../rate-limit/socket-limits.service.js';
import { RealtimeService, type LeaveReason } from '../realtime/realtime.service.js';
import type { MessageDto, RoomDto } from '../rooms/dto/room.dto.js';
import { toMessageDto, toRoomDto } from '../rooms/room.mapper.js';
import { DEFAULT_PAGE_SIZE, RoomsService } from '../rooms/rooms.service.js';
import { assertMessageContent } from '../rooms/message-content.js';
import type { ChatSocket } from './chat-socket.js';
import { RetryQueue } from './retry-queue.js';
import type {
  JoinRoomDto,
  RenameDto,
  RoomHistoryDto,
  SendMessageDto,
  SinceDto,
  TypingDto,
} from './dto/chat-events.dto.js';

export interface JoinResultDto {
  room: RoomDto;
  members: AuthUser[];
  messages: MessageDto[];
  recovered: boolean;
}

/** Whether the socket has joined the room. */
function joined(socket: ChatSocket, roomId: string): boolean {
  return socket.rooms.has(roomChannel(roomId));
}

/** What a connected client can do in rooms: join, leave, send, read history, type, rename. */
@Injectable()
export class ChatService implements OnModuleDestroy {
  private readonly retries: RetryQueue;

  constructor(
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly config: AppConfig,
    private readonly rooms: RoomsService,
    private readonly realtime: RealtimeService,
    private readonly tokens: TokenService,
    private readonly bans: BansService,
    private readonly limits: SocketLimits,
  ) {
    this.retries = new RetryQueue(config.cluster.heartbeatIntervalMs, 'Presence cleanup');
  }

  onModuleDestroy(): void {
    this.retries.stop();
  }

  /** The handshake registered the socket cluster-wide (see HandshakeMiddleware). */
  async connected(socket: ChatSocket): Promise<void> {
    await socket.join(userChannel(socket.data.user.id));
    socket.emit('session', { user: socket.data.user });
  }

  async join(socket: ChatSocket, dto: JoinRoomDto): Promise<JoinResultDto> {
    const user = socket.data.user;
    const room = await this.rooms.get(dto.roomId);
    await this.bans.assertNotBanned(user.id, socket.data.ip);
    await this.rooms.admit(room, user, dto.password);
    const seat = await this.engine.joinRoom(room.id, user, socket.id, Date.now());
    if (seat.status === 'missing') {
      throw ChatError.roomNotFound(room.id);
    }
    if (seat.status === 'full') {
      throw new ChatError(ErrorCode.ROOM_FULL, `Room is full (${room.maxUsers} users)`);
    }
    // Subscribe before reading the backlog so that no message falls between the two.
    await socket.join(roomChannel(room.id));
    if (socket.disconnected) {
      // The socket went away while the join was checked: its disconnect cleanup ran before it held
      // this room, so the seat is given back here. Nobody is left to read the ack.
      await socket.leave(roomChannel(room.id));
      await this.engine.leaveRoom(room.id, user.id, socket.id);
      throw new ChatError(ErrorCode.UNAVAILABLE, 'The socket disconnected while joining');
    }
    if (seat.firstSocket) {
      this.realtime.memberJoined(room.id, user, seat.memberCount);
    }
    const [current, members, backlog] = await Promise.all([
      this.rooms.get(room.id),
      this.engine.listMembers(room.id),
      this.backlog(room, dto.since),
    ]);
    return {
      room: toRoomDto(current),
      members,
      messages: backlog.messages.map(toMessageDto),
      recovered: backlog.recovered,
    };
  }

  /** Leaving is idempotent: a room the socket is not in (or that is gone) answers ok too. */
  async leave(socket: ChatSocket, roomId: string): Promise<void> {
    if (!joined(socket, roomId)) {
      return;
    }
    // The seat first: if the engine cannot take it now, the socket stays in the room and the
    // client may retry (or its disconnect releases the seat later).
    await this.release(socket.data.user, socket.id, roomId, 'left');
    await socket.leave(roomChannel(roomId));
  }

  /**
   * Called while the socket is disconnecting: it leaves every room it was in (rooms are told it
   * was kicked or banned when an admin removed it) and the registry forgets it. What the engine
   * cannot take now (its store is unreachable) is retried until it succeeds, so no seat is kept
   * by a socket that is gone.
   */
  async disconnecting(socket: ChatSocket): Promise<void> {
    const roomIds = [...socket.rooms].map(roomIdOfChannel).filter((id): id is string => id !== null);
    const { user, leaveReason } = socket.data;
    await Promise.all([
      ...roomIds.map((roomId) =>
        this.retries.run(() => this.release(user, socket.id, roomId, leaveReason ?? 'disconnected')),
      ),
      this.retries.run(() => this.engine.clients.unregister(socket.id)),
    ]);
  }

  async send(socket: ChatSocket, dto: SendMessageDto): Promise<MessageDto> {
    assertMessageContent(dto.content, this.config.rooms.messageMaxLength);
    if (!joined(socket, dto.roomId)) {
      await this.refuseNonMember(dto.roomId);
    }
    const user = socket.data.user;
    const draft = {
      id: newId(),
      userId: user.id,
      username: user.username,
      kind: 'user' as const,
      content: dto.content,
      sentAt: Date.now(),
      clientMsgId: dto.clientMsgId,
    };
    // An appended message reaches the room through the engine's publication (RealtimeService).
    const quota = this.limits.messageQuota(socket);
    const result = await this.engine.appendMessage(dto.roomId, draft, this.config.rooms.historySize, quota);
    if (result.status === 'rate-limited') {
      throw this.limits.messageRefused(socket, result.retryAfterMs);
    }
    this.limits.messageAllowed(socket);
    if (result.status === 'missing') {
      throw ChatError.roomNotFound(dto.roomId);
    }
    if (result.status === 'appended') {
      this.realtime.messagesSent.mark();
    }
    return toMessageDto(result.message);
  }

  async history(socket: ChatSocket, dto: RoomHistoryDto): Promise<{ messages: MessageDto[]; epoch: string }> {
    const { room, messages } = await this.rooms.history(socket.data.user, dto.roomId, dto);
    return { messages: messages.map(toMessageDto), epoch: room.epoch };
  }

  async typing(socket: ChatSocket, dto: TypingDto): Promise<void> {
    if (!joined(socket, dto.roomId)) {
      await this.refuseNonMember(dto.roomId);
    }
    const user = socket.data.user;
    this.realtime.chat
      .to(roomChannel(dto.roomId))
      .except(userChannel(user.id))
      .emit('room:typing', { roomId: dto.roomId, user, typing: dto.typing });
  }

  /** Renames the user everywhere; returns a fresh token so that a reconnect keeps the new name. */
  async rename(
    socket: ChatSocket,
    dto: RenameDto,
  ): Promise<{ user: AuthUser; accessToken: string; expiresIn: number }> {
    const previous = socket.data.user;
    const user: AuthUser = { ...previous, username: dto.username };
    if (user.username === previous.username) {
      return { user, ...this.tokens.signUser(user, socket.data.tokenExpiresAt) };
    }
    if (user.kind === 'member' && (await this.engine.renameAccount(user.id, user.username)) === 'taken') {
      throw new ChatError(ErrorCode.USERNAME_TAKEN, `Username "${user.username}" is taken`);
    }
    const roomIds = await this.engine.renameMember(user.id, user.username);
    await this.engine.clients.rename(user.id, user.username);
    await this.realtime.userRenamed(user);
    socket.data.user = user;
    this.realtime.chat
      .to([...roomIds.map(roomChannel), userChannel(user.id)])
      .emit('user:renamed', { user, previousUsername: previous.username });
    return { user, ...this.tokens.signUser(user, socket.data.tokenExpiresAt) };
  }

  private async release(user: AuthUser, socketId: string, roomId: string, reason: LeaveReason): Promise<void> {
    const left = await this.engine.leaveRoom(roomId, user.id, socketId);
    if (left.lastSocket) {
      this.realtime.memberLeft(roomId, user, left.memberCount, reason, socketId);
    }
  }

  /**
   * For a socket that has not joined the room: ROOM_NOT_FOUND, or NOT_A_MEMBER. (A member's event
   * is checked by `joined` alone, without a Promise: it is every message's path.)
   */
  private async refuseNonMember(roomId: string): Promise<never> {
    await this.rooms.get(roomId);
    throw new ChatError(ErrorCode.NOT_A_MEMBER, 'Join the room first (room:join)');
  }

  /** Messages for a join: the latest page, or everything after `since` when it can be trusted. */
  private async backlog(
    room: RoomState,
    since: SinceDto | undefined,
  ): Promise<{ messages: MessageRecord[]; recovered: boolean }> {
    if (!since || since.epoch !== room.epoch || since.seq > room.lastSeq) {
      return { messages: await this.engine.getMessages(room.id, { limit: DEFAULT_PAGE_SIZE }), recovered: false };
    }
    const [messages, first] = await Promise.all([
      this.engine.getMessages(room.id, { after: since.seq, limit: this.config.rooms.historySize }),
      this.engine.firstSeq(room.id),
    ]);
    const oldestKept = first ?? room.lastSeq + 1;
    return { messages, recovered: since.seq >= oldestKept - 1 };
  }
}
