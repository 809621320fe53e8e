import { asciiLower } from '../ascii-lower.js';
import { comparePositions, decodeCursor, encodeCursor, type CursorPosition } from '../cursor.js';
import type { Page } from '../engine.types.js';
import type {
  ClientCaps,
  ClientInfo,
  ClientListQuery,
  ClientRecord,
  ClientRegistry,
  RegisterOutcome,
} from '../moderation.port.js';
import { SortedList } from './sorted-list.js';

/** Whether a client matches an admin's search: a name fragment, or an exact user id or IP. */
export function clientMatches(client: ClientRecord, q: string | undefined): boolean {
  if (!q) {
    return true;
  }
  return asciiLower(client.user.username).includes(asciiLower(q)) || client.user.id === q || client.ip === q;
}

/**
 * The client registry of the memory engine. `roomsOf` reads the seats the engine keeps, so a
 * client's rooms are always the ones it is seated in.
 */
export class MemoryClients implements ClientRegistry {
  private readonly clients = new Map<string, ClientRecord>();
  private readonly order = new SortedList<CursorPosition>(comparePositions);
  /** "u:<userId>" / "i:<ip>" → registered sockets. */
  private readonly counts = new Map<string, number>();

  constructor(private readonly roomsOf: (userId: string, socketId: string) => string[]) {}

  register(client: ClientRecord, caps?: ClientCaps): Promise<RegisterOutcome> {
    this.forget(client.socketId);
    if (caps && (this.counts.get(`u:${client.user.id}`) ?? 0) >= caps.perUser) {
      return Promise.resolve('user-full');
    }
    if (caps && (this.counts.get(`i:${client.ip}`) ?? 0) >= caps.perIp) {
      return Promise.resolve('ip-full');
    }
    this.clients.set(client.socketId, { ...client, user: { ...client.user } });
    this.order.insert({ time: client.connectedAt, id: client.socketId });
    this.adjust(client, 1);
    return Promise.resolve('registered');
  }

  unregister(socketId: string): Promise<void> {
    this.forget(socketId);
    return Promise.resolve();
  }

  get(socketId: string): Promise<ClientInfo | null> {
    const client = this.clients.get(socketId);
    return Promise.resolve(client ? this.info(client) : null);
  }

  list(query: ClientListQuery): Promise<Page<ClientInfo>> {
    return new Promise((resolve) => resolve(this.page(query)));
  }

  count(by: { userId: string } | { ip: string }): Promise<number> {
    const key = 'userId' in by ? `u:${by.userId}` : `i:${by.ip}`;
    return Promise.resolve(this.counts.get(key) ?? 0);
  }

  rename(userId: string, username: string): Promise<void> {
    for (const client of this.clients.values()) {
      if (client.user.id === userId) {
        client.user.username = username;
      }
    }
    return Promise.resolve();
  }

  dropInstance(instanceId: string): Promise<void> {
    for (const client of [...this.clients.values()]) {
      if (client.instanceId === instanceId) {
        this.forget(client.socketId);
      }
    }
    return Promise.resolve();
  }

  private page(query: ClientListQuery): Page<ClientInfo> {
    const start = query.cursor ? this.order.lowerBound(decodeCursor(query.cursor)) - 1 : this.order.size - 1;
    const items: ClientInfo[] = [];
    for (let index = start; index >= 0; index--) {
      const client = this.clients.get(this.order.at(index)?.id ?? '');
      const info = client && clientMatches(client, query.q) ? this.info(client) : null;
      if (info && (!query.roomId || info.roomIds.includes(query.roomId))) {
        if (items.length === query.limit) {
          const last = items[items.length - 1];
          return { items, nextCursor: encodeCursor({ time: last.connectedAt, id: last.socketId }) };
        }
        items.push(info);
      }
    }
    return { items, nextCursor: null };
  }

  private info(client: ClientRecord): ClientInfo {
    return { ...client, user: { ...client.user }, roomIds: this.roomsOf(client.user.id, client.socketId) };
  }

  private forget(socketId: string): void {
    const client = this.clients.get(socketId);
    if (client) {
      this.clients.delete(socketId);
      this.order.remove({ time: client.connectedAt, id: socketId });
      this.adjust(client, -1);
    }
  }

  private adjust(client: ClientRecord, delta: number): void {
    for (const key of [`u:${client.user.id}`, `i:${client.ip}`]) {
      const next = (this.counts.get(key) ?? 0) + delta;
      if (next > 0) {
        this.counts.set(key, next);
      } else {
        this.counts.delete(key);
      }
    }
  }
}
