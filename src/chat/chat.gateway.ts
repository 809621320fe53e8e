import { Logger, UseFilters } from '@nestjs/common';
import {
  ConnectedSocket,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Namespace } from 'socket.io';
import { RealtimeService } from '../realtime/realtime.service.js';
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
import { Payload } from './ws-payload.pipe.js';

type Ack<T extends object = object> = { ok: true } & T;

const ok = <T extends object>(result: T): Ack<T> => ({ ok: true, ...result });

/** The `/chat` namespace (API.md §4): each handler validates, calls one service method, acks. */
@UseFilters(WsAckFilter)
@WebSocketGateway({ namespace: '/chat' })
export class ChatGateway implements OnGatewayInit<Namespace>, OnGatewayConnection<ChatSocket> {
  private readonly logger = new Logger(ChatGateway.name);

  constructor(
    private readonly chat: ChatService,
    private readonly realtime: RealtimeService,
    private readonly handshake: HandshakeMiddleware,
  ) {}

  afterInit(namespace: Namespace): void {
    this.realtime.attach(namespace);
    namespace.use(this.handshake.use);
  }

  async handleConnection(socket: ChatSocket): Promise<void> {
    socket.on('disconnecting', () => {
      this.chat.disconnecting(socket).catch((error: unknown) => {
        this.logger.error(`Presence cleanup failed for ${socket.id}: ${String(error)}`);
      });
    });
    await this.chat.connected(socket);
  }

  @SubscribeMessage('room:join')
  async join(@ConnectedSocket() socket: ChatSocket, @Payload() dto: JoinRoomDto): Promise<Ack<JoinResultDto>> {
    return ok(await this.chat.join(socket, dto));
  }

  @SubscribeMessage('room:leave')
  async leave(@ConnectedSocket() socket: ChatSocket, @Payload() dto: RoomRefDto): Promise<Ack> {
    await this.chat.leave(socket, dto.roomId);
    return ok({});
  }

  @SubscribeMessage('message:send')
  async send(@ConnectedSocket() socket: ChatSocket, @Payload() dto: SendMessageDto): Promise<Ack> {
    return ok({ message: await this.chat.send(socket, dto) });
  }

  @SubscribeMessage('room:history')
  async history(@ConnectedSocket() socket: ChatSocket, @Payload() dto: RoomHistoryDto): Promise<Ack> {
    return ok(await this.chat.history(socket, dto));
  }

  @SubscribeMessage('room:typing')
  async typing(@ConnectedSocket() socket: ChatSocket, @Payload() dto: TypingDto): Promise<Ack> {
    await this.chat.typing(socket, dto);
    return ok({});
  }

  @SubscribeMessage('user:rename')
  async rename(@ConnectedSocket() socket: ChatSocket, @Payload() dto: RenameDto): Promise<Ack> {
    return ok(await this.chat.rename(socket, dto));
  }
}
