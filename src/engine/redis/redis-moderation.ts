import { asciiLower } from '../ascii-lower.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Page, UserRef } from '../engine.types.js';
import type {
  BanRecord,
  ClientCaps,
  RegisterOutcome,
  BanStore,
  ClientInfo,
  ClientListQuery,
  ClientRecord,
  ClientRegistry,
  ModerationEntry,
  ModerationLog,
} from '../moderation.port.js';
import type { RateLimitStore, WindowHit } from '../rate-limit.port.js';
import { RedisKeys } from './redis-keys.js';
import type { RedisCommands } from './redis-commands.js';

/** The index member of a cursor position ('' for the first page). */
const cursorMember = (cursor: string | undefined): string => {
  const at = cursor ? decodeCursor(cursor) : null;
  return at ? RedisKeys.indexMember(at.time, at.id) : '';
};

/** Reads the clients a script flattened as socketId, at, userJson, ip, instanceId, roomCount, roomIds… */
function readClients(flat: string[]): ClientInfo[] {
  const clients: ClientInfo[] = [];
  for (let i = 0; i < flat.length;) {
    const [socketId, at, user, ip, instanceId, count] = flat.slice(i, i + 6);
    const roomIds = flat.slice(i + 6, i + 6 + Number(count));
    i += 6 + Number(count);
    clients.push({ socketId, connectedAt: Number(at), user: JSON.parse(user) as UserRef, ip, instanceId, roomIds });
  }
  return clients;
}

function toBan(json: string): BanRecord {
  return JSON.parse(json) as BanRecord;
}

/** The cluster-wide client registry in Redis (scripts in redis-moderation.scripts.ts). */
export class RedisClients implements ClientRegistry {
  constructor(private readonly cmd: RedisCommands) {}

  async register(client: ClientRecord, caps?: ClientCaps): Promise<RegisterOutcome> {
    const { socketId, user, ip, instanceId, connectedAt } = client;
    const at = RedisKeys.indexTime(connectedAt);
    const userJson = JSON.stringify({ id: user.id, username: user.username, kind: user.kind });
    const name = asciiLower(user.username);
    const [perUser, perIp] = caps ? [caps.perUser, caps.perIp] : ['', ''];
    const args = [socketId, at, user.id, userJson, name, ip, instanceId, perUser, perIp];
    return (await this.cmd.script('registerClient', ...args)) as RegisterOutcome;
  }

  async unregister(socketId: string): Promise<void> {
    await this.cmd.script('unregisterClient', socketId);
  }

  async get(socketId: string): Promise<ClientInfo | null> {
    return readClients((await this.cmd.script('getClient', socketId)) as string[])[0] ?? null;
  }

  async list(query: ClientListQuery): Promise<Page<ClientInfo>> {
    const q = query.q ?? '';
    const [more, ...flat] = (await this.cmd.script(
      'listClients',
      query.limit,
      cursorMember(query.cursor),
      query.roomId ?? '',
      asciiLower(q),
      q,
    )) as [number, ...string[]];
    const items = readClients(flat);
    const last = items.at(-1);
    const nextCursor = more === 1 && last ? encodeCursor({ time: last.connectedAt, id: last.socketId }) : null;
    return { items, nextCursor };
  }

  count(by: { userId: string } | { ip: string }): Promise<number> {
    const key = 'userId' in by ? `user:${by.userId}:clients` : `ip:${by.ip}:clients`;
    return this.cmd.guard(() => this.cmd.redis.scard(`${this.cmd.keys.prefix}${key}`));
  }

  async rename(userId: string, username: string): Promise<void> {
    await this.cmd.script('renameClients', userId, username, asciiLower(username));
  }

  async dropInstance(instanceId: string): Promise<void> {
    await this.cmd.script('dropInstanceClients', instanceId);
  }
}

/** Bans in Redis: a hash per ban that expires with a timed ban, an index and per-user/IP sets. */
export class RedisBans implements BanStore {
  constructor(private readonly cmd: RedisCommands) {}

  async create(ban: BanRecord): Promise<void> {
    const at = RedisKeys.indexTime(ban.createdAt);
    const until = ban.until === null ? '' : String(ban.until);
    await this.cmd.script('createBan', ban.id, at, JSON.stringify(ban), ban.userId ?? '', ban.ip ?? '', until);
  }

  async list(query: { limit: number; cursor?: string; now: number }): Promise<Page<BanRecord>> {
    const member = cursorMember(query.cursor);
    const [more, ...jsons] = (await this.cmd.script('listBans', query.limit, member, query.now)) as [
      number,
      ...string[],
    ];
    const items = jsons.map(toBan);
    const last = items.at(-1);
    return { items, nextCursor: more === 1 && last ? encodeCursor({ time: last.createdAt, id: last.id }) : null };
  }

  async remove(banId: string, now: number): Promise<BanRecord | null> {
    const json = (await this.cmd.script('removeBan', banId, now)) as string | null;
    return json ? toBan(json) : null;
  }

  async match(userId: string | null, ip: string | null, now: number): Promise<BanRecord | null> {
    const json = (await this.cmd.script('matchBan', userId ?? '', ip ?? '', now)) as string | null;
    return json ? toBan(json) : null;
  }
}

/** The moderation log in Redis: an index by (at, id) and a hash of entries, capped on append. */
export class RedisModerationLog implements ModerationLog {
  constructor(private readonly cmd: RedisCommands) {}

  async append(entry: ModerationEntry, keep: number): Promise<void> {
    const member = RedisKeys.indexMember(entry.at, entry.id);
    await this.cmd.script('appendModeration', member, entry.id, JSON.stringify(entry), keep);
  }

  async list(query: { limit: number; cursor?: string }): Promise<Page<ModerationEntry>> {
    const member = cursorMember(query.cursor);
    const [more, ...jsons] = (await this.cmd.script('listModeration', query.limit, member)) as [number, ...string[]];
    const items = jsons.map((json) => JSON.parse(json) as ModerationEntry);
    const last = items.at(-1);
    return { items, nextCursor: more === 1 && last ? encodeCursor({ time: last.at, id: last.id }) : null };
  }
}

/** Sliding windows in Redis: a sorted set of hit times per key, expiring with its window. */
export class RedisRateLimits implements RateLimitStore {
  constructor(private readonly cmd: RedisCommands) {}

  async hit(key: string, limit: number, windowMs: number, now: number, hitId: string): Promise<WindowHit> {
    const [allowed, count, retryAfterMs] = (await this.cmd.script('hitWindow', key, limit, windowMs, now, hitId)) as [
      number,
      number,
      number,
    ];
    return { allowed: allowed === 1, count, retryAfterMs };
  }
}
