import { Logger, UseFilters } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Event, Namespace } from 'socket.io';
import type { AuthUser } from '../auth/auth-user.js';
import { ChatError } from '../common/errors/chat-error.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { SocketEjector } from '../realtime/socket-ejector.js';
import { SocketLimits } from '../rate-limit/socket-limits.service.js';
import type { MessageDto } from '../rooms/dto/room.dto.js';
import type { ChatSocket } from './chat-socket.js';
import { ChatService, type JoinResultDto } from './chat.service.js';
import {
  JoinRoomDto,
  RenameDto,
  RoomHistoryDto,
  RoomRefDto,
  SendMessageDto,
  TypingDto,
} from './dto/chat-events.dto.js';
import { HandshakeMiddleware } from './handshake.middleware.js';
import { WsAckFilter } from './ws-ack.filter.js';

type Ack<T extends object = object> = { ok: true } & T;

const ok = <T extends object>(result: T): Ack<T> => ({ ok: true, ...result });

/** The client events of API.md §4. */
export const CLIENT_EVENTS = ['room:join', 'room:leave', 'message:send', 'room:history', 'room:typing', 'user:rename'];

/** An event outside CLIENT_EVENTS that asks for an ack is refused; without an ack it is ignored. */
function unknownEvent(packet: Event): ChatError | null {
  const event: unknown = packet[0];
  if ((typeof event === 'string' && CLIENT_EVENTS.includes(event)) || typeof packet.at(-1) !== 'function') {
    return null;
  }
  return ChatError.validation(`Unknown event "${String(event).slice(0, 64)}"`);
}

/** The presence cleanup of a socket that is going away. */
function disconnectingListener(chat: ChatService, logger: Logger): (this: ChatSocket) => void {
  return function (this: ChatSocket): void {
    chat.disconnecting(this).catch((error: unknown) => {
      logger.error(`Presence cleanup failed for ${this.id}: ${String(error)}`);
    });
  };
}

/**
 * The `/chat` namespace (API.md §4): each handler validates, calls one service method, acks. A
 * socket's events reach them one after another, in arrival order (ChatIoAdapter).
 */
@UseFilters(WsAckFilter)
@WebSocketGateway({ namespace: '/chat' })
export class ChatGateway implements OnGatewayInit<Namespace>, OnGatewayConnection<ChatSocket> {
  private readonly logger = new Logger(ChatGateway.name);

  /** Shared by every socket (EventEmitter calls it on the socket): no closure per connection. */
  private readonly onDisconnecting: (this: ChatSocket) => void;

  constructor(
    private readonly chat: ChatService,
    private readonly realtime: RealtimeService,
    private readonly handshake: HandshakeMiddleware,
    private readonly ejector: SocketEjector,
    private readonly limits: SocketLimits,
  ) {
    this.onDisconnecting = disconnectingListener(chat, this.logger);
  }

  afterInit(namespace: Namespace): void {
    this.realtime.attach(namespace);
    this.ejector.attach(namespace);
    namespace.use(this.handshake.use);
  }

  async handleConnection(socket: ChatSocket): Promise<void> {
    socket.on('disconnecting', this.onDisconnecting);
    // Every event takes a token first (layer one of the rate limits), then unknown events with
    // an ack are answered VALIDATION_FAILED, and while the instance is overloaded the events that
    // fan out are answered RATE_LIMITED (LoadShedder); none of them reaches a handler.
    socket.use(this.limits.eventMiddleware(unknownEvent));
    try {
      await this.chat.connected(socket);
    } catch (error) {
      this.logger.error(`Could not set up ${socket.id}: ${String(error)}`);
      socket.disconnect(true);
    }
  }

  @SubscribeMessage('room:join')
  join(@ConnectedSocket() socket: ChatSocket, @MessageBody() dto: JoinRoomDto): Promise<Ack<JoinResultDto>> {
    return this.chat.join(socket, dto).then(ok);
  }

  @SubscribeMessage('room:leave')
  leave(@ConnectedSocket() socket: ChatSocket, @MessageBody() dto: RoomRefDto): Promise<Ack> {
    return this.chat.leave(socket, dto.roomId).then(() => ok({}));
  }

  @SubscribeMessage('message:send')
  send(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() dto: SendMessageDto,
  ): Promise<Ack<{ message: MessageDto }>> {
    return this.chat.send(socket, dto).then((message) => ok({ message }));
  }

  @SubscribeMessage('room:history')
  history(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() dto: RoomHistoryDto,
  ): Promise<Ack<{ messages: MessageDto[]; epoch: string }>> {
    return this.chat.history(socket, dto).then(ok);
  }

  @SubscribeMessage('room:typing')
  typing(@ConnectedSocket() socket: ChatSocket, @MessageBody() dto: TypingDto): Promise<Ack> {
    return this.chat.typing(socket, dto).then(() => ok({}));
  }

  @SubscribeMessage('user:rename')
  rename(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() dto: RenameDto,
  ): Promise<Ack<{ user: AuthUser; accessToken: string; expiresIn: number }>> {
    return this.chat.rename(socket, dto).then(ok);
  }
}
