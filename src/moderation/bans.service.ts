import { Inject, Injectable } from '@nestjs/common';
import { normalizeIp } from '../common/client-ip.js';
import { ChatError } from '../common/errors/chat-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { newId } from '../common/ids.js';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import type { BanRecord } from '../engine/moderation.port.js';
import { SocketEjector } from '../realtime/socket-ejector.js';
import { DEFAULT_PAGE_SIZE } from '../rooms/rooms.service.js';
import type { BanDto, BanPageDto, CreateBanDto, PageQueryDto } from './dto/moderation.dto.js';
import { ModerationLogService } from './moderation-log.service.js';

const iso = (time: number | null): string | null => (time === null ? null : new Date(time).toISOString());

export function toBanDto(ban: BanRecord): BanDto {
  return {
    id: ban.id,
    ...(ban.userId !== null ? { userId: ban.userId } : {}),
    ...(ban.ip !== null ? { ip: ban.ip } : {}),
    reason: ban.reason,
    createdAt: new Date(ban.createdAt).toISOString(),
    until: iso(ban.until),
    createdBy: ban.createdBy,
  };
}

/** The error a banned user or address gets: 403 BANNED, `details.until` null when permanent. */
export function bannedError(ban: BanRecord): ChatError {
  const until = iso(ban.until);
  const message = until ? `Banned until ${until}: ${ban.reason}` : `Banned: ${ban.reason}`;
  return new ChatError(ErrorCode.BANNED, message, { until });
}

/** Bans by user id or IP: issuing one removes the matching sockets everywhere; checks refuse them. */
@Injectable()
export class BansService {
  constructor(
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly ejector: SocketEjector,
    private readonly log: ModerationLogService,
  ) {}

  async create(dto: CreateBanDto, admin: string): Promise<BanDto> {
    if (dto.userId === undefined && dto.ip === undefined) {
      throw ChatError.validation('A ban needs a userId, an ip or both', [
        { field: 'userId', errors: ['userId or ip is required'] },
      ]);
    }
    const ip = dto.ip === undefined ? null : normalizeIp(dto.ip);
    if (dto.ip !== undefined && ip === null) {
      throw ChatError.invalidField('ip', 'ip must be an IPv4 or IPv6 address');
    }
    const now = Date.now();
    const ban: BanRecord = {
      id: newId(),
      userId: dto.userId ?? null,
      ip,
      reason: dto.reason,
      createdAt: now,
      until: dto.durationSeconds === undefined ? null : now + dto.durationSeconds * 1000,
      createdBy: admin,
    };
    await this.engine.bans.create(ban);
    this.ejector.eject(
      { userId: ban.userId, ip: ban.ip },
      { event: 'moderation:banned', payload: { reason: ban.reason, until: iso(ban.until) }, leaveReason: 'banned' },
    );
    const target = { banId: ban.id, ...(ban.userId ? { userId: ban.userId } : {}), ...(ban.ip ? { ip: ban.ip } : {}) };
    await this.log.record(admin, 'ban.created', target, ban.reason);
    return toBanDto(ban);
  }

  async list(query: PageQueryDto): Promise<BanPageDto> {
    const page = await this.engine.bans.list({
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
      now: Date.now(),
    });
    return { items: page.items.map(toBanDto), nextCursor: page.nextCursor };
  }

  /** Lifts a ban at once: the user or address can connect again. */
  async lift(banId: string, admin: string): Promise<void> {
    const ban = await this.engine.bans.remove(banId, Date.now());
    if (!ban) {
      throw new ChatError(ErrorCode.NOT_FOUND, `Ban ${banId.slice(0, 64)} does not exist or has ended`);
    }
    const target = { banId, ...(ban.userId ? { userId: ban.userId } : {}), ...(ban.ip ? { ip: ban.ip } : {}) };
    await this.log.record(admin, 'ban.lifted', target, ban.reason);
  }

  /** Throws BANNED when a ban against the user or the address is in force. */
  async assertNotBanned(userId: string | null, ip: string | null): Promise<void> {
    const ban = await this.engine.bans.match(userId, ip, Date.now());
    if (ban) {
      throw bannedError(ban);
    }
  }
}
