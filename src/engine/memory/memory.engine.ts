import { asciiLower } from '../ascii-lower.js';
import { comparePositions, decodeCursor, encodeCursor, type CursorPosition } from '../cursor.js';
import type { ChatEngine } from '../engine.port.js';
import type {
  AccountRecord,
  AppendQuota,
  AppendResult,
  QuotaAppendResult,
  AttemptCount,
  HistoryQuery,
  InstanceInfo,
  JoinResult,
  LeaveResult,
  MessageRecord,
  Page,
  ReapedSeat,
  RoomRecord,
  RoomListQuery,
  RoomState,
  RoomStats,
  UserRef,
} from '../engine.types.js';
import { messageRecord } from '../message-record.js';
import { MemoryAccounts } from './memory-accounts.js';
import { MemoryAttempts } from './memory-attempts.js';
import { MemoryBans } from './memory-bans.js';
import { MemoryClients } from './memory-clients.js';
import { MemoryModerationLog } from './memory-moderation-log.js';
import { MemoryRateLimits } from './memory-rate-limits.js';
import { MemoryInstances } from './memory-instances.js';
import { MemoryRoom } from './memory-room.js';
import { SortedList } from './sorted-list.js';
import { UserRoomIndex } from './user-room-index.js';

const byExpiry = (a: RoomRecord, b: RoomRecord): number =>
  comparePositions({ time: a.expiresAt, id: a.id }, { time: b.expiresAt, id: b.id });
const byCreation = (a: CursorPosition, b: CursorPosition): number => comparePositions(a, b);

/**
 * Keeps all chat state in this process. Serves a single node: state is lost on restart and is not
 * shared with other instances. Every method runs synchronously inside, which makes it atomic.
 */
export class MemoryEngine implements ChatEngine {
  private readonly rooms = new Map<string, MemoryRoom>();
  private readonly expiryOrder = new SortedList<RoomRecord>(byExpiry);
  private readonly creationOrder = new SortedList<CursorPosition & { visibility: string }>(byCreation);
  private readonly userRooms = new UserRoomIndex();
  private readonly accounts = new MemoryAccounts();
  private readonly instances = new MemoryInstances();
  private readonly attempts = new MemoryAttempts();
  private readonly messageListeners: Array<(message: MessageRecord) => void> = [];
  readonly clients = new MemoryClients((userId, socketId) => this.roomsOfSocket(userId, socketId));
  readonly bans = new MemoryBans();
  readonly moderationLog = new MemoryModerationLog();
  readonly rateLimits = new MemoryRateLimits();

  /**
   * `instanceId` is the instance that holds every seat of this engine: one engine per process,
   * so a seat needs no instance of its own (reapInstance of this id releases them all).
   */
  constructor(private readonly instanceId = 'local') {}

  createRoom(room: RoomRecord): Promise<RoomState> {
    const stored = new MemoryRoom({ ...room });
    this.rooms.set(room.id, stored);
    this.expiryOrder.insert(stored.record);
    this.creationOrder.insert({ time: room.createdAt, id: room.id, visibility: room.visibility });
    return Promise.resolve(stored.state());
  }

  getRoom(roomId: string, now: number): Promise<RoomState | null> {
    return Promise.resolve(this.live(roomId, now)?.state() ?? null);
  }

  listRooms(query: RoomListQuery): Promise<Page<RoomState>> {
    // Built inside the executor so that a malformed cursor rejects the promise instead of throwing.
    return new Promise((resolve) => resolve(this.roomsPage(query)));
  }

  private roomsPage(query: RoomListQuery): Page<RoomState> {
    const start = query.cursor
      ? this.creationOrder.lowerBound({ ...decodeCursor(query.cursor), visibility: '' }) - 1
      : this.creationOrder.size - 1;
    const needle = query.nameContains ? asciiLower(query.nameContains) : '';
    const items: RoomState[] = [];
    // One match past the page tells whether another page exists, so the last page says null.
    let more = false;
    for (let index = start; index >= 0; index--) {
      const entry = this.creationOrder.at(index);
      const room = entry && this.live(entry.id, query.now);
      const named = !needle || asciiLower(room?.record.name ?? '').includes(needle);
      if (room && named && (!query.publicOnly || room.record.visibility === 'public')) {
        if (items.length === query.limit) {
          more = true;
          break;
        }
        items.push(room.state());
      }
    }
    const last = items.at(-1);
    return { items, nextCursor: more && last ? encodeCursor({ time: last.createdAt, id: last.id }) : null };
  }

  deleteRoom(roomId: string): Promise<RoomRecord | null> {
    const room = this.rooms.get(roomId);
    if (!room) {
      return Promise.resolve(null);
    }
    this.rooms.delete(roomId);
    this.expiryOrder.remove(room.record);
    this.creationOrder.remove({ time: room.record.createdAt, id: roomId, visibility: '' });
    for (const userId of room.seats.keys()) {
      this.userRooms.remove(userId, roomId);
    }
    return Promise.resolve(room.record);
  }

  countRooms(now: number): Promise<number> {
    let live = 0;
    for (const room of this.rooms.values()) {
      live += room.record.expiresAt > now ? 1 : 0;
    }
    return Promise.resolve(live);
  }

  dueRooms(now: number, limit: number): Promise<string[]> {
    const due: string[] = [];
    for (let i = 0; i < this.expiryOrder.size && due.length < limit; i++) {
      const record = this.expiryOrder.at(i);
      if (!record || record.expiresAt > now) {
        break;
      }
      due.push(record.id);
    }
    return Promise.resolve(due);
  }

  nextExpiry(): Promise<number | null> {
    return Promise.resolve(this.expiryOrder.at(0)?.expiresAt ?? null);
  }

  joinRoom(roomId: string, user: UserRef, socketId: string, now: number): Promise<JoinResult> {
    const room = this.live(roomId, now);
    if (!room) {
      return Promise.resolve({ status: 'missing' });
    }
    const seat = room.seats.get(user.id);
    if (seat) {
      if (!seat.sockets.includes(socketId)) {
        seat.sockets.push(socketId);
      }
      return Promise.resolve({ status: 'joined', firstSocket: false, memberCount: room.seats.size });
    }
    if (room.seats.size >= room.record.maxUsers) {
      return Promise.resolve({ status: 'full' });
    }
    room.seats.set(user.id, { user: { ...user }, sockets: [socketId] });
    room.participants.add(user.id);
    room.lastActivityAt = now;
    this.userRooms.add(user.id, roomId);
    return Promise.resolve({ status: 'joined', firstSocket: true, memberCount: room.seats.size });
  }

  leaveRoom(roomId: string, userId: string, socketId: string): Promise<LeaveResult> {
    return Promise.resolve(this.release(roomId, userId, socketId));
  }

  roomStats(roomId: string): Promise<RoomStats | null> {
    const room = this.rooms.get(roomId);
    return Promise.resolve(
      room ? { participantCount: room.participants.size, lastActivityAt: room.lastActivityAt } : null,
    );
  }

  listMembers(roomId: string): Promise<UserRef[]> {
    const seats = this.rooms.get(roomId)?.seats.values() ?? [];
    return Promise.resolve([...seats].map((seat) => ({ ...seat.user })));
  }

  isMember(roomId: string, userId: string): Promise<boolean> {
    return Promise.resolve(this.rooms.get(roomId)?.seats.has(userId) ?? false);
  }

  renameMember(userId: string, username: string): Promise<string[]> {
    const roomIds = this.userRooms.roomsOf(userId);
    for (const roomId of roomIds) {
      const seat = this.rooms.get(roomId)?.seats.get(userId);
      if (seat) {
        seat.user.username = username;
      }
    }
    return Promise.resolve(roomIds);
  }

  appendMessage(
    roomId: string,
    draft: Omit<MessageRecord, 'seq' | 'roomId'>,
    historySize: number,
  ): Promise<AppendResult>;
  appendMessage(
    roomId: string,
    draft: Omit<MessageRecord, 'seq' | 'roomId'>,
    historySize: number,
    quota: AppendQuota,
  ): Promise<QuotaAppendResult>;
  appendMessage(
    roomId: string,
    draft: Omit<MessageRecord, 'seq' | 'roomId'>,
    historySize: number,
    quota?: AppendQuota,
  ): Promise<QuotaAppendResult> {
    if (quota) {
      const hit = this.rateLimits.hitNow(quota.key, quota.limit, quota.windowMs, draft.sentAt);
      if (!hit.allowed) {
        return Promise.resolve({ status: 'rate-limited', retryAfterMs: hit.retryAfterMs });
      }
    }
    const room = this.live(roomId, draft.sentAt);
    if (!room) {
      return Promise.resolve({ status: 'missing' });
    }
    if (draft.clientMsgId !== undefined) {
      const original = room.history.findByClientMsgId(draft.userId, draft.clientMsgId);
      if (original) {
        return Promise.resolve({ status: 'duplicate', message: original });
      }
    }
    room.lastSeq += 1;
    room.lastActivityAt = draft.sentAt;
    const message = messageRecord(draft, roomId, room.lastSeq);
    // History keeps its own encoded copy: this object goes to the subscribers and the caller alone.
    room.history.append(message, historySize);
    for (const listener of this.messageListeners) {
      listener(message);
    }
    return Promise.resolve({ status: 'appended', message });
  }

  subscribeMessages(listener: (message: MessageRecord) => void): Promise<void> {
    this.messageListeners.push(listener);
    return Promise.resolve();
  }

  getMessages(roomId: string, query: HistoryQuery): Promise<MessageRecord[]> {
    const room = this.rooms.get(roomId);
    if (!room) {
      return Promise.resolve([]);
    }
    const { history } = room;
    const from = query.after === undefined ? 0 : history.indexOfSeq(query.after + 1);
    const to = query.before === undefined ? history.length : history.indexOfSeq(query.before);
    return Promise.resolve(
      query.after !== undefined
        ? history.slice(from, Math.min(to, from + query.limit))
        : history.slice(Math.max(from, to - query.limit), to),
    );
  }

  firstSeq(roomId: string): Promise<number | null> {
    return Promise.resolve(this.rooms.get(roomId)?.history.firstSeq() ?? null);
  }

  deleteMessage(roomId: string, messageId: string): Promise<MessageRecord | null> {
    return Promise.resolve(this.rooms.get(roomId)?.history.remove(messageId) ?? null);
  }

  grantAccess(roomId: string, userId: string): Promise<void> {
    this.rooms.get(roomId)?.grants.add(userId);
    return Promise.resolve();
  }

  hasAccess(roomId: string, userId: string): Promise<boolean> {
    return Promise.resolve(this.rooms.get(roomId)?.grants.has(userId) ?? false);
  }

  createAccount(account: AccountRecord): Promise<boolean> {
    return Promise.resolve(this.accounts.create(account));
  }

  findAccountByUsername(username: string): Promise<AccountRecord | null> {
    return Promise.resolve(this.accounts.findByName(username));
  }

  findAccountById(id: string): Promise<AccountRecord | null> {
    return Promise.resolve(this.accounts.findById(id));
  }

  renameAccount(id: string, username: string): Promise<'renamed' | 'taken' | 'missing'> {
    return Promise.resolve(this.accounts.rename(id, username));
  }

  heartbeat(instance: InstanceInfo, ttlMs: number): Promise<{ wasRegistered: boolean }> {
    return Promise.resolve({ wasRegistered: this.instances.heartbeat(instance, ttlMs) });
  }

  listInstances(now: number): Promise<InstanceInfo[]> {
    return Promise.resolve(this.instances.live(now));
  }

  staleInstances(now: number): Promise<string[]> {
    return Promise.resolve(this.instances.stale(now));
  }

  reapInstance(instanceId: string): Promise<ReapedSeat[]> {
    const reaped: ReapedSeat[] = [];
    const held = instanceId === this.instanceId ? [...this.rooms.values()] : [];
    for (const room of held) {
      for (const [userId, { user, sockets }] of [...room.seats]) {
        for (const socketId of [...sockets]) {
          const left = this.release(room.record.id, userId, socketId);
          reaped.push({
            roomId: room.record.id,
            user: { ...user },
            lastSocket: left.lastSocket,
            memberCount: left.memberCount,
          });
        }
      }
    }
    this.instances.forget(instanceId);
    void this.clients.dropInstance(instanceId);
    return Promise.resolve(reaped);
  }

  /** The rooms in which the socket holds a seat. */
  private roomsOfSocket(userId: string, socketId: string): string[] {
    const roomIds = this.userRooms.roomsOf(userId);
    return roomIds.filter((roomId) => this.rooms.get(roomId)?.seats.get(userId)?.sockets.includes(socketId));
  }

  countAttempt(key: string, windowMs: number, now: number): Promise<AttemptCount> {
    return Promise.resolve(this.attempts.count(key, windowMs, now));
  }

  getAttempts(key: string, now: number): Promise<AttemptCount | null> {
    return Promise.resolve(this.attempts.get(key, now));
  }

  clearAttempts(key: string): Promise<void> {
    this.attempts.clear(key);
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private live(roomId: string, now: number): MemoryRoom | undefined {
    const room = this.rooms.get(roomId);
    return room && room.record.expiresAt > now ? room : undefined;
  }

  private release(roomId: string, userId: string, socketId: string): LeaveResult {
    const room = this.rooms.get(roomId);
    const seat = room?.seats.get(userId);
    const index = seat?.sockets.indexOf(socketId) ?? -1;
    if (!room || !seat || index < 0) {
      return { lastSocket: false, wasMember: false, memberCount: room?.seats.size ?? 0 };
    }
    seat.sockets.splice(index, 1);
    const lastSocket = seat.sockets.length === 0;
    if (lastSocket) {
      room.seats.delete(userId);
      this.userRooms.remove(userId, roomId);
    }
    return { lastSocket, wasMember: true, memberCount: room.seats.size };
  }
}
