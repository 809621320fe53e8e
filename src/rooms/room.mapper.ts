import { isoTime } from '../common/iso-time.js';
import type { MessageRecord, RoomState } from '../engine/engine.types.js';
import type { MessageDto, RoomDto } from './dto/room.dto.js';

/** Wire shape of a room (API.md §1): never the password hash. */
export function toRoomDto(room: RoomState): RoomDto {
  return {
    id: room.id,
    name: room.name,
    topic: room.topic,
    visibility: room.visibility,
    hasPassword: room.passwordHash !== null,
    maxUsers: room.maxUsers,
    ownerId: room.ownerId,
    createdAt: new Date(room.createdAt).toISOString(),
    expiresAt: new Date(room.expiresAt).toISOString(),
    memberCount: room.memberCount,
    epoch: room.epoch,
    lastSeq: room.lastSeq,
  };
}

export function toMessageDto(message: MessageRecord): MessageDto {
  const dto: MessageDto = {
    id: message.id,
    roomId: message.roomId,
    seq: message.seq,
    userId: message.userId,
    username: message.username,
    kind: message.kind,
    content: message.content,
    sentAt: isoTime(message.sentAt),
  };
  if (message.clientMsgId !== undefined) {
    dto.clientMsgId = message.clientMsgId;
  }
  return dto;
}
