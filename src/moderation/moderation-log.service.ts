import { Inject, Injectable } from '@nestjs/common';
import { newId } from '../common/ids.js';
import { AppConfig } from '../config/app-config.js';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import type { ModerationAction, ModerationTarget } from '../engine/moderation.port.js';
import { DEFAULT_PAGE_SIZE } from '../rooms/rooms.service.js';
import type { ModerationLogPageDto, PageQueryDto } from './dto/moderation.dto.js';

/** Who did what to whom and when: every admin action is recorded here. */
@Injectable()
export class ModerationLogService {
  constructor(
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly config: AppConfig,
  ) {}

  async record(actor: string, action: ModerationAction, target: ModerationTarget, reason?: string): Promise<void> {
    const entry = { id: newId(), at: Date.now(), actor, action, target, reason: reason ?? null };
    await this.engine.moderationLog.append(entry, this.config.admin.moderationLogSize);
  }

  async list(query: PageQueryDto): Promise<ModerationLogPageDto> {
    const page = await this.engine.moderationLog.list({
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
    });
    return {
      items: page.items.map((entry) => ({ ...entry, at: new Date(entry.at).toISOString() })),
      nextCursor: page.nextCursor,
    };
  }
}
