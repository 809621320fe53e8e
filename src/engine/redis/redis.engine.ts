import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ChatError } from '../../common/errors/chat-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';
import { asciiLower } from '../ascii-lower.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { ChatEngine } from '../engine.port.js';
import type {
  AccountRecord,
  AppendQuota,
  AppendResult,
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
  QuotaAppendResult,
} from '../engine.types.js';
import { messageRecord, unsequencedMessage } from '../message-record.js';
import { RedisKeys } from './redis-keys.js';
import { RedisAccounts } from './redis-accounts.js';
import { RedisCommands } from './redis-commands.js';
import { RedisBans, RedisClients, RedisModerationLog, RedisRateLimits } from './redis-moderation.js';
import { RedisRegistry } from './redis-registry.js';

/** How long a room's keys outlive its expiresAt if no instance sweeps it (the safety net). */
const GRACE_MS = 3600_000;

type Flat = string[];

function fromFlat(flat: Flat): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    out[flat[i]] = flat[i + 1];
  }
  return out;
}

function toRecord(h: Record<string, string>): RoomRecord {
  return {
    id: h.id,
    name: h.name,
    topic: h.topic === '' ? null : (JSON.parse(h.topic) as string),
    visibility: h.visibility === 'private' ? 'private' : 'public',
    passwordHash: h.passwordHash === '' ? null : h.passwordHash,
    maxUsers: Number(h.maxUsers),
    ownerId: h.ownerId,
    createdAt: Number(h.createdAt),
    expiresAt: Number(h.expiresAt),
  };
}

function toMessage(json: string, seq: number): MessageRecord {
  const stored = JSON.parse(json) as Omit<MessageRecord, 'seq'>;
  return messageRecord(stored, stored.roomId, seq);
}

/**
 * Keeps chat state in Redis so that any number of instances share it. Every atomic operation is
 * one round trip (a Lua script or MULTI). Errors of the connection surface as UNAVAILABLE.
 */
export class RedisEngine implements ChatEngine {
  private readonly keys: RedisKeys;
  private readonly cmd: RedisCommands;
  private readonly accounts: RedisAccounts;
  private readonly registry: RedisRegistry;
  readonly clients: RedisClients;
  readonly bans: RedisBans;
  readonly moderationLog: RedisModerationLog;
  readonly rateLimits: RedisRateLimits;
  private incarnation = '0';
  /** Set when the connection drops: the Redis that answers next may be a restarted one. */
  private incarnationStale = true;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    /** Identifies this process's sockets so that survivors can release them if it dies. */
    private readonly instanceId: string,
    /** A connection of its own for pub/sub (a subscribed connection can run no other command). */
    private readonly subscriber: Redis,
  ) {
    this.keys = new RedisKeys(prefix);
    this.cmd = new RedisCommands(redis, this.keys);
    this.accounts = new RedisAccounts(this.cmd);
    this.registry = new RedisRegistry(this.cmd);
    this.clients = new RedisClients(this.cmd);
    this.bans = new RedisBans(this.cmd);
    this.moderationLog = new RedisModerationLog(this.cmd);
    this.rateLimits = new RedisRateLimits(this.cmd);
    redis.on('close', () => {
      this.incarnationStale = true;
    });
  }

  /**
   * Reads (and after a Redis restart, advances) the incarnation that is part of every epoch. Runs
   * before the first epoch is handed out after every (re)connection, so no client ever sees an
   * epoch that a restart has made stale.
   */
  async refreshIncarnation(): Promise<void> {
    if (!this.incarnationStale) {
      return;
    }
    const info = await this.cmd.guard(() => this.redis.info('server'));
    const runId = /run_id:(\w+)/.exec(info)?.[1] ?? 'unknown';
    this.incarnation = String(await this.cmd.script('incarnation', runId, randomBytes(4).toString('hex')));
    this.incarnationStale = false;
  }

  async createRoom(room: RoomRecord): Promise<RoomState> {
    await this.refreshIncarnation();
    const epoch = randomBytes(6).toString('hex');
    const member = RedisKeys.indexMember(room.createdAt, room.id);
    const key = this.keys.room(room.id);
    const fields = {
      id: room.id,
      name: room.name,
      topic: room.topic === null ? '' : JSON.stringify(room.topic),
      visibility: room.visibility,
      passwordHash: room.passwordHash ?? '',
      maxUsers: room.maxUsers,
      ownerId: room.ownerId,
      createdAt: room.createdAt,
      expiresAt: room.expiresAt,
      epoch,
      lastSeq: 0,
      indexKey: member,
    };
    const tx = this.redis
      .multi()
      .hset(key, fields)
      .pexpireat(key, room.expiresAt + GRACE_MS);
    tx.zadd(this.keys.expiry, room.expiresAt, room.id).zadd(this.keys.index('all'), 0, member);
    if (room.visibility === 'public') {
      tx.zadd(this.keys.index('public'), 0, member);
    }
    return this.cmd.guard(async () => {
      await tx.exec();
      return { ...room, memberCount: 0, lastSeq: 0, epoch: this.epochOf(epoch) };
    });
  }

  async getRoom(roomId: string, now: number): Promise<RoomState | null> {
    const states = await this.states([roomId]);
    const state = states[0];
    return state && state.expiresAt > now ? state : null;
  }

  async listRooms(query: RoomListQuery): Promise<Page<RoomState>> {
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const cursorMember = after ? RedisKeys.indexMember(after.time, after.id) : '';
    const which = query.publicOnly ? 'public' : 'all';
    const [more, ...members] = (await this.cmd.script(
      'listRooms',
      which,
      query.limit,
      cursorMember,
      query.now,
      asciiLower(query.nameContains ?? ''),
    )) as [number, ...string[]];
    const ids = members.map((member) => RedisKeys.roomIdOf(member));
    const items = (await this.states(ids)).filter((s): s is RoomState => s !== null && s.expiresAt > query.now);
    // The cursor comes from the index, not from the rooms read afterwards (they may be gone by now).
    const last = members.at(-1);
    const next = more === 1 && last ? { time: Number(last.slice(0, 16)), id: RedisKeys.roomIdOf(last) } : null;
    return { items, nextCursor: next ? encodeCursor(next) : null };
  }

  async deleteRoom(roomId: string): Promise<RoomRecord | null> {
    const flat = (await this.cmd.script('deleteRoom', roomId)) as Flat | null;
    return flat ? toRecord(fromFlat(flat)) : null;
  }

  countRooms(now: number): Promise<number> {
    return this.cmd.guard(() => this.redis.zcount(this.keys.expiry, `(${now}`, '+inf'));
  }

  dueRooms(now: number, limit: number): Promise<string[]> {
    return this.cmd.guard(() => this.redis.zrangebyscore(this.keys.expiry, '-inf', now, 'LIMIT', 0, limit));
  }

  async nextExpiry(): Promise<number | null> {
    const first = await this.cmd.guard(() => this.redis.zrange(this.keys.expiry, '0', '0', 'WITHSCORES'));
    return first.length === 2 ? Number(first[1]) : null;
  }

  async joinRoom(roomId: string, user: UserRef, socketId: string, now: number): Promise<JoinResult> {
    const userJson = JSON.stringify({ id: user.id, username: user.username, kind: user.kind });
    const args = [roomId, user.id, userJson, socketId, now, this.instanceId, GRACE_MS];
    const [status, first, count] = (await this.cmd.script('joinRoom', ...args)) as [string, number, number];
    if (status === 'joined') {
      return { status, firstSocket: first === 1, memberCount: count };
    }
    return { status: status === 'full' ? 'full' : 'missing' };
  }

  async leaveRoom(roomId: string, userId: string, socketId: string): Promise<LeaveResult> {
    const [was, last, count] = (await this.cmd.script('leaveRoom', roomId, userId, socketId)) as number[];
    return { wasMember: was === 1, lastSocket: last === 1, memberCount: count };
  }

  async roomStats(roomId: string): Promise<RoomStats | null> {
    const key = this.keys.room(roomId);
    const replies = await this.cmd.guard(() =>
      this.redis
        .multi()
        .hmget(key, 'createdAt', 'lastActivityAt')
        .scard(this.keys.room(roomId, ':participants'))
        .exec(),
    );
    const [createdAt, lastActivityAt] = (replies?.[0]?.[1] ?? []) as Array<string | null>;
    if (createdAt === null || createdAt === undefined) {
      return null;
    }
    return { participantCount: Number(replies?.[1]?.[1] ?? 0), lastActivityAt: Number(lastActivityAt ?? createdAt) };
  }

  async listMembers(roomId: string): Promise<UserRef[]> {
    const people = (await this.cmd.script('listMembers', roomId)) as Array<string | null>;
    return people.filter((p): p is string => p !== null).map((p) => JSON.parse(p) as UserRef);
  }

  async isMember(roomId: string, userId: string): Promise<boolean> {
    return (await this.cmd.guard(() => this.redis.zscore(this.keys.room(roomId, ':seats'), userId))) !== null;
  }

  async renameMember(userId: string, username: string): Promise<string[]> {
    return (await this.cmd.script('renameMember', userId, username)) as string[];
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
  async appendMessage(
    roomId: string,
    draft: Omit<MessageRecord, 'seq' | 'roomId'>,
    historySize: number,
    quota?: AppendQuota,
  ): Promise<QuotaAppendResult> {
    const json = JSON.stringify(unsequencedMessage(draft, roomId));
    const args = [roomId, json, draft.userId, draft.clientMsgId ?? '', historySize, draft.sentAt, draft.id, GRACE_MS];
    const limit = quota ? [quota.key, quota.limit, quota.windowMs, quota.hitId] : ['', 0, 0, ''];
    const [status, stored, seq] = (await this.cmd.script('appendMessage', ...args, ...limit)) as [
      string,
      string,
      number,
    ];
    if (status === 'rate-limited') {
      return { status, retryAfterMs: seq };
    }
    if (status === 'missing') {
      return { status };
    }
    return { status: status === 'duplicate' ? 'duplicate' : 'appended', message: toMessage(stored, seq) };
  }

  async subscribeMessages(listener: (message: MessageRecord) => void): Promise<void> {
    const channel = this.keys.messages;
    this.subscriber.on('message', (from: string, payload: string) => {
      const newline = payload.indexOf('\n');
      if (from === channel && newline > 0) {
        listener(toMessage(payload.slice(newline + 1), Number(payload.slice(0, newline))));
      }
    });
    await this.cmd.guard(() => this.subscriber.subscribe(channel));
  }

  async getMessages(roomId: string, query: HistoryQuery): Promise<MessageRecord[]> {
    const key = this.keys.room(roomId, ':msgs');
    const upper = query.before === undefined ? '+inf' : `(${query.before}`;
    const flat = await this.cmd.guard(() =>
      query.after !== undefined
        ? this.redis.zrangebyscore(key, `(${query.after}`, upper, 'WITHSCORES', 'LIMIT', 0, query.limit)
        : this.redis.zrevrangebyscore(key, upper, '-inf', 'WITHSCORES', 'LIMIT', 0, query.limit),
    );
    const messages: MessageRecord[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      messages.push(toMessage(flat[i], Number(flat[i + 1])));
    }
    return query.after !== undefined ? messages : messages.reverse();
  }

  async firstSeq(roomId: string): Promise<number | null> {
    const first = await this.cmd.guard(() =>
      this.redis.zrange(this.keys.room(roomId, ':msgs'), '0', '0', 'WITHSCORES'),
    );
    return first.length === 2 ? Number(first[1]) : null;
  }

  async deleteMessage(roomId: string, messageId: string): Promise<MessageRecord | null> {
    const found = (await this.cmd.script('deleteMessage', roomId, messageId)) as [string, number] | null;
    return found ? toMessage(found[0], found[1]) : null;
  }

  async grantAccess(roomId: string, userId: string): Promise<void> {
    await this.cmd.script('grantAccess', roomId, userId, GRACE_MS);
  }

  async hasAccess(roomId: string, userId: string): Promise<boolean> {
    return (await this.cmd.guard(() => this.redis.sismember(this.keys.room(roomId, ':grants'), userId))) === 1;
  }

  createAccount(account: AccountRecord): Promise<boolean> {
    return this.accounts.create(account);
  }

  findAccountByUsername(username: string): Promise<AccountRecord | null> {
    return this.accounts.findByName(username);
  }

  findAccountById(id: string): Promise<AccountRecord | null> {
    return this.accounts.findById(id);
  }

  renameAccount(id: string, username: string): Promise<'renamed' | 'taken' | 'missing'> {
    return this.accounts.rename(id, username);
  }

  heartbeat(instance: InstanceInfo, ttlMs: number): Promise<{ wasRegistered: boolean }> {
    return this.registry.heartbeat(instance, ttlMs);
  }

  listInstances(now: number): Promise<InstanceInfo[]> {
    return this.registry.live(now);
  }

  staleInstances(now: number): Promise<string[]> {
    return this.registry.stale(now);
  }

  async reapInstance(instanceId: string): Promise<ReapedSeat[]> {
    const seats = await this.registry.reap(instanceId);
    await this.clients.dropInstance(instanceId);
    return seats;
  }

  async countAttempt(key: string, windowMs: number, now: number): Promise<AttemptCount> {
    const [count, left] = (await this.cmd.script('countAttempt', key, windowMs)) as [number, number];
    return { count, resetAt: now + Math.max(0, left) };
  }

  async getAttempts(key: string, now: number): Promise<AttemptCount | null> {
    const k = `${this.keys.prefix}attempts:${key}`;
    const replies = await this.cmd.guard(() => this.redis.multi().get(k).pttl(k).exec());
    const count = Number(replies?.[0]?.[1] ?? 0);
    const left = Number(replies?.[1]?.[1] ?? -2);
    return count > 0 && left > 0 ? { count, resetAt: now + left } : null;
  }

  async clearAttempts(key: string): Promise<void> {
    await this.cmd.guard(() => this.redis.del(`${this.keys.prefix}attempts:${key}`));
  }

  async ping(): Promise<void> {
    await this.refreshIncarnation();
    await this.cmd.guard(() => this.redis.ping());
  }

  async close(): Promise<void> {
    // QUIT only when connected: on a connection that is down it would wait for Redis to come back.
    await Promise.all(
      [this.redis, this.subscriber].map((c) =>
        c.status === 'ready' ? c.quit().catch(() => c.disconnect()) : Promise.resolve(c.disconnect()),
      ),
    );
  }

  /** Room states in one round trip; null where a room does not exist. */
  private async states(ids: string[]): Promise<Array<RoomState | null>> {
    await this.refreshIncarnation();
    if (ids.length === 0) {
      return [];
    }
    const pipeline = this.redis.pipeline();
    for (const id of ids) {
      pipeline.hgetall(this.keys.room(id)).zcard(this.keys.room(id, ':seats'));
    }
    const replies = await this.cmd.guard(() => pipeline.exec());
    return ids.map((_, i) => {
      const [hashError, hash] = replies?.[2 * i] ?? [];
      const [countError, count] = replies?.[2 * i + 1] ?? [];
      if (hashError || countError) {
        throw new ChatError(ErrorCode.UNAVAILABLE, 'The chat store is unavailable');
      }
      const h = hash as Record<string, string>;
      if (!h.id) {
        return null;
      }
      return { ...toRecord(h), memberCount: Number(count), lastSeq: Number(h.lastSeq), epoch: this.epochOf(h.epoch) };
    });
  }

  private epochOf(roomEpoch: string): string {
    return `${roomEpoch}.${this.incarnation}`;
  }
}
