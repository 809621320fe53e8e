import { Inject, Injectable } from '@nestjs/common';
import { ChatError } from '../common/errors/chat-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import type { ClientInfo } from '../engine/moderation.port.js';
import { SocketEjector } from '../realtime/socket-ejector.js';
import { DEFAULT_PAGE_SIZE } from '../rooms/rooms.service.js';
import type { ClientDto, ClientPageDto, ClientsQueryDto } from './dto/moderation.dto.js';
import { ModerationLogService } from './moderation-log.service.js';

const DEFAULT_KICK_REASON = 'Removed by an administrator';

function toClientDto(client: ClientInfo): ClientDto {
  return {
    socketId: client.socketId,
    user: client.user,
    ip: client.ip,
    instanceId: client.instanceId,
    rooms: client.roomIds,
    connectedAt: new Date(client.connectedAt).toISOString(),
  };
}

/** Connected clients of the whole cluster, from the engine's registry, and kicking them. */
@Injectable()
export class ClientsService {
  constructor(
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly ejector: SocketEjector,
    private readonly log: ModerationLogService,
  ) {}

  async list(query: ClientsQueryDto): Promise<ClientPageDto> {
    const page = await this.engine.clients.list({
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
      roomId: query.roomId,
      q: query.q,
    });
    return { items: page.items.map(toClientDto), nextCursor: page.nextCursor };
  }

  async get(socketId: string): Promise<ClientDto> {
    return toClientDto(await this.find(socketId));
  }

  /** `moderation:kicked`, then the socket is disconnected on whichever instance holds it. */
  async kick(socketId: string, reason: string | undefined, admin: string): Promise<void> {
    const client = await this.find(socketId);
    const shown = reason ?? DEFAULT_KICK_REASON;
    this.ejector.eject({ socketId }, { event: 'moderation:kicked', payload: { reason: shown }, leaveReason: 'kicked' });
    const { user, ip } = client;
    await this.log.record(admin, 'client.kicked', { socketId, userId: user.id, username: user.username, ip }, shown);
  }

  private async find(socketId: string): Promise<ClientInfo> {
    const client = await this.engine.clients.get(socketId);
    if (!client) {
      throw new ChatError(ErrorCode.NOT_FOUND, `No client is connected with socket id ${socketId.slice(0, 64)}`);
    }
    return client;
  }
}
