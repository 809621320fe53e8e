import { Inject, Injectable } from '@nestjs/common';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import { toRoomDto } from '../rooms/room.mapper.js';
import { DEFAULT_PAGE_SIZE } from '../rooms/rooms.service.js';
import type { AdminRoomPageDto, AdminRoomsQueryDto, InstanceDto, OverviewDto } from './dto/admin.dto.js';

/** Cluster figures for the admin console, from the instance registry and the engine. */
@Injectable()
export class AdminStatsService {
  constructor(@Inject(CHAT_ENGINE) private readonly engine: ChatEngine) {}

  /** Every live room, private ones included, newest first, with member and message counts. */
  async rooms(query: AdminRoomsQueryDto): Promise<AdminRoomPageDto> {
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
