import { Inject, Injectable } from '@nestjs/common';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import { ChatError } from '../common/errors/chat-error.js';
import { RoomsService } from '../rooms/rooms.service.js';
import { toMessageDto, toRoomDto } from '../rooms/room.mapper.js';
import type { HistoryDto, HistoryQueryDto } from '../rooms/dto/room.dto.js';
import { DEFAULT_PAGE_SIZE } from '../rooms/rooms.service.js';
import type {
  AdminRoomDetailDto,
  AdminRoomPageDto,
  AdminRoomsQueryDto,
  InstanceDto,
  OverviewDto,
} from './dto/admin.dto.js';

/** Cluster figures for the admin console, from the instance registry and the engine. */
@Injectable()
export class AdminStatsService {
  constructor(
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly rooms: RoomsService,
  ) {}

  /** One room with its members online and its figures. */
  async room(roomId: string): Promise<AdminRoomDetailDto> {
    const room = await this.rooms.get(roomId);
    const [members, stats] = await Promise.all([this.engine.listMembers(roomId), this.engine.roomStats(roomId)]);
    if (!stats) {
      throw ChatError.roomNotFound(roomId);
    }
    return {
      room: { ...toRoomDto(room), messageCount: room.lastSeq },
      members,
      stats: {
        messageCount: room.lastSeq,
        participantCount: stats.participantCount,
        createdBy: room.ownerId,
        lastActivityAt: new Date(stats.lastActivityAt).toISOString(),
      },
    };
  }

  /** A room's history whatever its password (same paging as the user endpoint). */
  async messages(roomId: string, query: HistoryQueryDto): Promise<HistoryDto> {
    const room = await this.rooms.get(roomId);
    const messages = await this.engine.getMessages(roomId, {
      before: query.before,
      after: query.after,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
    });
    return { items: messages.map(toMessageDto), epoch: room.epoch };
  }

  /** Every live room, private ones included, newest first, with member and message counts. */
  async listRooms(query: AdminRoomsQueryDto): Promise<AdminRoomPageDto> {
    const page = await this.engine.listRooms({
      publicOnly: false,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
      now: Date.now(),
      nameContains: query.q,
    });
    return {
      items: page.items.map((room) => ({ ...toRoomDto(room), messageCount: room.lastSeq })),
      nextCursor: page.nextCursor,
    };
  }

  async instances(): Promise<InstanceDto[]> {
    const live = await this.engine.listInstances(Date.now());
    return live.map((i) => ({
      ...i,
      startedAt: new Date(i.startedAt).toISOString(),
      lastHeartbeat: new Date(i.lastHeartbeat).toISOString(),
    }));
  }

  /**
   * Totals over the live instances as of their last heartbeat. `users` adds up each instance's
   * distinct users: someone connected to two instances counts twice.
   */
  async overview(): Promise<OverviewDto> {
    const now = Date.now();
    const [live, rooms] = await Promise.all([this.engine.listInstances(now), this.engine.countRooms(now)]);
    const sum = (pick: (i: (typeof live)[number]) => number): number => live.reduce((total, i) => total + pick(i), 0);
    return {
      instances: live.length,
      connections: sum((i) => i.connections),
      users: sum((i) => i.users),
      rooms,
      messagesLastMinute: sum((i) => i.messagesLastMinute),
    };
  }
}
