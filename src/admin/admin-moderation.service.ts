import { Inject, Injectable } from '@nestjs/common';
import { ChatError } from '../common/errors/chat-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { newId } from '../common/ids.js';
import { AppConfig } from '../config/app-config.js';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import { ModerationLogService } from '../moderation/moderation-log.service.js';
import { roomChannel } from '../realtime/channels.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { assertMessageContent } from '../rooms/message-content.js';
import { toMessageDto } from '../rooms/room.mapper.js';
import { RoomLifecycleService } from '../rooms/room-lifecycle.service.js';
import { RoomsService } from '../rooms/rooms.service.js';
import type { AnnouncementDto } from './dto/admin.dto.js';

/** Author of system messages in room histories. */
const SYSTEM_USER = { id: 'system', username: 'system' } as const;

/** What an admin does to rooms and messages; every effect reaches clients on every instance. */
@Injectable()
export class AdminModerationService {
  constructor(
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly config: AppConfig,
    private readonly rooms: RoomsService,
    private readonly lifecycle: RoomLifecycleService,
    private readonly realtime: RealtimeService,
    private readonly log: ModerationLogService,
  ) {}

  /** Members get `room:closed {reason:"closed-by-admin"}` and are removed; the room is gone. */
  async closeRoom(roomId: string, admin: string): Promise<void> {
    await this.rooms.get(roomId);
    await this.lifecycle.close(roomId, 'closed-by-admin');
    await this.log.record(admin, 'room.closed', { roomId });
  }

  /** Removes one message from history; members get `message:deleted`. */
  async deleteMessage(roomId: string, messageId: string, admin: string): Promise<void> {
    await this.rooms.get(roomId);
    const removed = await this.engine.deleteMessage(roomId, messageId);
    if (!removed) {
      throw new ChatError(ErrorCode.NOT_FOUND, `Message ${messageId.slice(0, 64)} is not in the history of this room`);
    }
    this.realtime.chat.to(roomChannel(roomId)).emit('message:deleted', { roomId, messageId });
    const { userId, username } = removed;
    await this.log.record(admin, 'message.deleted', { roomId, messageId, userId, username });
  }

  /**
   * A system announcement: to one room (also stored in its history as a `system` message with its
   * own seq, delivered as `message:new`) or to every connected client.
   */
  async announce(content: string, roomId: string | undefined, admin: string): Promise<AnnouncementDto> {
    assertMessageContent(content, this.config.rooms.messageMaxLength);
    const sentAt = Date.now();
    if (roomId === undefined) {
      const announcement = { content, sentAt: new Date(sentAt).toISOString() };
      this.realtime.chat.emit('system:announcement', announcement);
      await this.log.record(admin, 'announcement', {}, content);
      return announcement;
    }
    await this.rooms.get(roomId);
    const draft = {
      id: newId(),
      userId: SYSTEM_USER.id,
      username: SYSTEM_USER.username,
      kind: 'system' as const,
      content,
      sentAt,
    };
    const stored = await this.engine.appendMessage(roomId, draft, this.config.rooms.historySize);
    if (stored.status === 'missing') {
      throw ChatError.roomNotFound(roomId);
    }
    this.realtime.messagesSent.mark();
    const announcement = { content, roomId, sentAt: new Date(sentAt).toISOString() };
    this.realtime.chat.to(roomChannel(roomId)).emit('system:announcement', announcement);
    await this.log.record(admin, 'announcement', { roomId, messageId: stored.message.id }, content);
    return { ...announcement, message: toMessageDto(stored.message) };
  }
}
