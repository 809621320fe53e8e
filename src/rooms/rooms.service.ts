import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { PasswordHasher } from '../auth/password-hasher.js';
import { ChatError } from '../common/errors/chat-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { newId } from '../common/ids.js';
import { AppConfig } from '../config/app-config.js';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import type { HistoryQuery, MessageRecord, RoomState, UserRef } from '../engine/engine.types.js';
import type { CreateRoomDto, RoomPageDto } from './dto/room.dto.js';
import { RoomLifecycleService } from './room-lifecycle.service.js';
import { toRoomDto } from './room.mapper.js';

export const DEFAULT_PAGE_SIZE = 50;

function outOfRange(field: string, min: number, max: number): ChatError {
  return ChatError.invalidField(field, `${field} must be between ${min} and ${max}`);
}

/** Rooms: creation, lookup, listing, access to history and members, closing. */
@Injectable()
export class RoomsService {
  constructor(
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly config: AppConfig,
    private readonly hasher: PasswordHasher,
    private readonly lifecycle: RoomLifecycleService,
  ) {}

  async create(owner: AuthUser, dto: CreateRoomDto): Promise<RoomState> {
    const limits = this.config.rooms;
    const maxUsers = dto.maxUsers ?? limits.defaultMaxUsers;
    const ttlSeconds = dto.ttlSeconds ?? limits.defaultTtlSeconds;
    if (maxUsers < 2 || maxUsers > limits.maxUsersLimit) {
      throw outOfRange('maxUsers', 2, limits.maxUsersLimit);
    }
    if (ttlSeconds < limits.minTtlSeconds || ttlSeconds > limits.maxTtlSeconds) {
      throw outOfRange('ttlSeconds', limits.minTtlSeconds, limits.maxTtlSeconds);
    }
    const now = Date.now();
    const room = await this.engine.createRoom({
      id: newId(),
      name: dto.name,
      topic: dto.topic ?? null,
      visibility: dto.visibility ?? 'public',
      passwordHash: dto.password === undefined ? null : await this.hasher.hash(dto.password),
      maxUsers,
      ownerId: owner.id,
      createdAt: now,
      expiresAt: now + ttlSeconds * 1000,
    });
    if (room.passwordHash !== null) {
      // The owner chose the password: they need not type it again.
      await this.engine.grantAccess(room.id, owner.id);
    }
    this.lifecycle.scheduleExpiry(room.expiresAt);
    return room;
  }

  async listPublic(limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<RoomPageDto> {
    const page = await this.engine.listRooms({ publicOnly: true, limit, cursor, now: Date.now() });
    return { items: page.items.map(toRoomDto), nextCursor: page.nextCursor };
  }

  /** The live room, or ROOM_NOT_FOUND. */
  async get(roomId: string): Promise<RoomState> {
    const room = await this.engine.getRoom(roomId, Date.now());
    if (!room) {
      throw ChatError.roomNotFound(roomId);
    }
    return room;
  }

  async deleteAsOwner(user: AuthUser, roomId: string): Promise<void> {
    const room = await this.get(roomId);
    if (room.ownerId !== user.id) {
      throw new ChatError(ErrorCode.FORBIDDEN, 'Only the owner of the room can delete it');
    }
    await this.lifecycle.close(roomId, 'deleted');
  }

  async members(user: AuthUser, roomId: string): Promise<UserRef[]> {
    const room = await this.get(roomId);
    await this.assertReadable(room, user);
    return this.engine.listMembers(roomId);
  }

  async history(
    user: AuthUser,
    roomId: string,
    query: Partial<HistoryQuery>,
  ): Promise<{ room: RoomState; messages: MessageRecord[] }> {
    const room = await this.get(roomId);
    await this.assertReadable(room, user);
    const messages = await this.engine.getMessages(roomId, {
      before: query.before,
      after: query.after,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
    });
    return { room, messages };
  }

  /**
   * Checks the room password unless the user already has a grant; a right password grants access
   * for the life of the room.
   */
  async admit(room: RoomState, user: AuthUser, password: string | undefined): Promise<void> {
    if (room.passwordHash === null || (await this.engine.hasAccess(room.id, user.id))) {
      return;
    }
    if (password === undefined || !(await this.hasher.verify(password, room.passwordHash))) {
      throw new ChatError(ErrorCode.WRONG_PASSWORD, 'This room needs its password');
    }
    await this.engine.grantAccess(room.id, user.id);
  }

  /** History and members of a password room are for users who joined it with the password. */
  async assertReadable(room: RoomState, user: AuthUser): Promise<void> {
    if (room.passwordHash !== null && !(await this.engine.hasAccess(room.id, user.id))) {
      throw new ChatError(ErrorCode.NOT_A_MEMBER, 'Join this room with its password first');
    }
  }
}
