import { newId } from '../../../src/common/ids.js';
import type { UserRef } from '../../../src/engine/engine.types.js';
import type { BanRecord, ClientInfo, ClientRecord, ModerationEntry } from '../../../src/engine/moderation.port.js';
import { MINUTE, roomRecord, userRef, type EngineContext } from './fixtures.js';

/** Reads every page of a listing, `limit` at a time. */
async function allPages<T>(
  read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    pages.push(page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return pages;
}

/** The client registry, bans and moderation log. */
export function describeModeration(ctx: EngineContext): void {
  const client = (user: UserRef, at: number, overrides: Partial<ClientRecord> = {}): ClientRecord => ({
    socketId: newId(),
    user,
    ip: '203.0.113.7',
    instanceId: ctx.instanceId,
    connectedAt: at,
    ...overrides,
  });
  const ids = (items: ClientInfo[]): string[] => items.map((c) => c.socketId);

  describe('clients', () => {
    it('registers a socket, finds it with the rooms it is seated in, and forgets it', async () => {
      const ada = userRef('Ada');
      const socket = client(ada, ctx.t0);
      const room = await ctx.engine.createRoom(roomRecord(ctx.t0));
      const other = await ctx.engine.createRoom(roomRecord(ctx.t0));
      await ctx.engine.clients.register(socket);
      await ctx.engine.joinRoom(room.id, ada, socket.socketId, ctx.t0);
      await ctx.engine.joinRoom(other.id, ada, newId(), ctx.t0);
      expect(await ctx.engine.clients.get(socket.socketId)).toEqual({ ...socket, roomIds: [room.id] });
      await ctx.engine.leaveRoom(room.id, ada.id, socket.socketId);
      expect((await ctx.engine.clients.get(socket.socketId))?.roomIds).toEqual([]);
      await ctx.engine.clients.unregister(socket.socketId);
      expect(await ctx.engine.clients.get(socket.socketId)).toBeNull();
      await expect(ctx.engine.clients.unregister(socket.socketId)).resolves.toBeUndefined();
    });

    it('lists sockets newest first over pages that cover each exactly once', async () => {
      const sockets = Array.from({ length: 7 }, (_, i) => client(userRef(`user${i}`), ctx.t0 + (i % 3)));
      for (const socket of sockets) {
        await ctx.engine.clients.register(socket);
      }
      const pages = await allPages((cursor) => ctx.engine.clients.list({ limit: 3, cursor }));
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      const listed = pages.flat();
      expect(new Set(ids(listed))).toEqual(new Set(ids(sockets.map((s) => ({ ...s, roomIds: [] })))));
      const times = listed.map((c) => c.connectedAt);
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it('filters by room and by a name fragment, a user id or an IP', async () => {
      const ada = userRef('Ada Lovelace');
      const bob = userRef('bob');
      const room = await ctx.engine.createRoom(roomRecord(ctx.t0));
      const a = client(ada, ctx.t0, { ip: '198.51.100.1' });
      const b = client(bob, ctx.t0 + 1, { ip: '198.51.100.2' });
      await ctx.engine.clients.register(a);
      await ctx.engine.clients.register(b);
      await ctx.engine.joinRoom(room.id, bob, b.socketId, ctx.t0);
      const list = async (q?: string, roomId?: string): Promise<string[]> =>
        ids((await ctx.engine.clients.list({ limit: 10, q, roomId })).items);
      expect(await list('LOVE')).toEqual([a.socketId]);
      expect(await list(bob.id)).toEqual([b.socketId]);
      expect(await list('198.51.100.1')).toEqual([a.socketId]);
      expect(await list('198.51.100')).toEqual([]);
      expect(await list(undefined, room.id)).toEqual([b.socketId]);
      expect(await list('ada', room.id)).toEqual([]);
    });

    it('renames every socket of a user, and drops the sockets of a reaped instance', async () => {
      const ada = userRef('Ada');
      const mine = client(ada, ctx.t0);
      const elsewhere = client(ada, ctx.t0, { instanceId: 'instance-dead' });
      await ctx.engine.clients.register(mine);
      await ctx.engine.clients.register(elsewhere);
      await ctx.engine.clients.rename(ada.id, 'Countess');
      expect((await ctx.engine.clients.get(elsewhere.socketId))?.user.username).toBe('Countess');
      await ctx.engine.reapInstance('instance-dead');
      expect(await ctx.engine.clients.get(elsewhere.socketId)).toBeNull();
      expect((await ctx.engine.clients.get(mine.socketId))?.user.username).toBe('Countess');
    });

    it('counts the registered sockets of a user and of an IP address', async () => {
      const ada = userRef('Ada');
      const sockets = [
        client(ada, ctx.t0, { ip: '198.51.100.1' }),
        client(ada, ctx.t0, { ip: '198.51.100.2', instanceId: 'instance-dead' }),
        client(userRef('bob'), ctx.t0, { ip: '198.51.100.1' }),
      ];
      for (const socket of sockets) {
        await ctx.engine.clients.register(socket);
      }
      expect(await ctx.engine.clients.count({ userId: ada.id })).toBe(2);
      expect(await ctx.engine.clients.count({ ip: '198.51.100.1' })).toBe(2);
      await ctx.engine.clients.register(sockets[0]);
      expect(await ctx.engine.clients.count({ ip: '198.51.100.1' })).toBe(2);
      await ctx.engine.clients.unregister(sockets[0].socketId);
      await ctx.engine.reapInstance('instance-dead');
      expect(await ctx.engine.clients.count({ userId: ada.id })).toBe(0);
      expect(await ctx.engine.clients.count({ ip: '198.51.100.1' })).toBe(1);
      expect(await ctx.engine.clients.count({ ip: '198.51.100.2' })).toBe(0);
    });

    it('registers with caps only while the user and the address hold fewer sockets than their cap', async () => {
      const ada = userRef('Ada');
      const caps = { perUser: 2, perIp: 3 };
      const at = (ip: string, user = ada) => client(user, ctx.t0, { ip });
      expect(await ctx.engine.clients.register(at('198.51.100.1'), caps)).toBe('registered');
      expect(await ctx.engine.clients.register(at('198.51.100.2'), caps)).toBe('registered');
      expect(await ctx.engine.clients.register(at('198.51.100.3'), caps)).toBe('user-full');
      expect(await ctx.engine.clients.register(at('198.51.100.1', userRef('bob')), caps)).toBe('registered');
      expect(await ctx.engine.clients.register(at('198.51.100.1', userRef('cy')), caps)).toBe('registered');
      expect(await ctx.engine.clients.register(at('198.51.100.1', userRef('dan')), caps)).toBe('ip-full');
      expect(await ctx.engine.clients.count({ userId: ada.id })).toBe(2);
      expect(await ctx.engine.clients.count({ ip: '198.51.100.1' })).toBe(3);
      expect(await ctx.engine.clients.register(at('198.51.100.3'))).toBe('registered');
    });

    it('rejects a malformed cursor with VALIDATION_FAILED', async () => {
      await expect(ctx.engine.clients.list({ limit: 5, cursor: '%%%' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    });
  });

  describe('bans', () => {
    const ban = (overrides: Partial<BanRecord>): BanRecord => ({
      id: newId(),
      userId: null,
      ip: null,
      reason: 'spam',
      createdAt: ctx.t0,
      until: null,
      createdBy: 'admin',
      ...overrides,
    });

    it('matches a ban by user id or by IP while it is in force', async () => {
      const byUser = ban({ userId: 'u1', until: ctx.t0 + MINUTE });
      const byIp = ban({ ip: '203.0.113.9', createdAt: ctx.t0 + 1 });
      await ctx.engine.bans.create(byUser);
      await ctx.engine.bans.create(byIp);
      expect(await ctx.engine.bans.match('u1', null, ctx.t0)).toEqual(byUser);
      expect(await ctx.engine.bans.match('u2', '203.0.113.9', ctx.t0)).toEqual(byIp);
      expect(await ctx.engine.bans.match('u2', '203.0.113.10', ctx.t0)).toBeNull();
      expect(await ctx.engine.bans.match('u1', null, ctx.t0 + MINUTE)).toBeNull();
    });

    it('picks the ban that ends last when several apply', async () => {
      const short = ban({ userId: 'u1', until: ctx.t0 + MINUTE });
      const long = ban({ ip: '203.0.113.9', until: ctx.t0 + 5 * MINUTE });
      await ctx.engine.bans.create(short);
      await ctx.engine.bans.create(long);
      expect(await ctx.engine.bans.match('u1', '203.0.113.9', ctx.t0)).toEqual(long);
      const forever = ban({ userId: 'u1' });
      await ctx.engine.bans.create(forever);
      expect(await ctx.engine.bans.match('u1', '203.0.113.9', ctx.t0)).toEqual(forever);
    });

    it('lists bans in force newest first with cursors, and lifts one exactly once', async () => {
      const bans = Array.from({ length: 5 }, (_, i) => ban({ userId: `u${i}`, createdAt: ctx.t0 + i }));
      const ended = ban({ userId: 'old', until: ctx.t0 + 10 });
      for (const b of [...bans, ended]) {
        await ctx.engine.bans.create(b);
      }
      const now = ctx.t0 + 100;
      const pages = await allPages((cursor) => ctx.engine.bans.list({ limit: 2, cursor, now }));
      expect(pages.flat().map((b) => b.id)).toEqual(bans.map((b) => b.id).reverse());
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(await ctx.engine.bans.remove(bans[2].id, now)).toEqual(bans[2]);
      expect(await ctx.engine.bans.remove(bans[2].id, now)).toBeNull();
      expect(await ctx.engine.bans.remove(ended.id, now)).toBeNull();
      expect(await ctx.engine.bans.match('u2', null, now)).toBeNull();
      expect((await ctx.engine.bans.list({ limit: 10, now })).items).toHaveLength(4);
    });
  });

  describe('moderation log', () => {
    const entry = (at: number, overrides: Partial<ModerationEntry> = {}): ModerationEntry => ({
      id: newId(),
      at,
      actor: 'admin',
      action: 'client.kicked',
      target: { socketId: 'abc', userId: 'u1', username: 'Ada' },
      reason: 'flooding',
      ...overrides,
    });

    it('lists entries newest first with cursors and keeps only the most recent', async () => {
      const entries = Array.from({ length: 6 }, (_, i) => entry(ctx.t0 + i));
      for (const e of entries) {
        await ctx.engine.moderationLog.append(e, 5);
      }
      const pages = await allPages((cursor) => ctx.engine.moderationLog.list({ limit: 2, cursor }));
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual(entries.slice(1).reverse());
    });

    it('keeps every field of an entry, a null reason included', async () => {
      const e = entry(ctx.t0, { action: 'room.closed', target: { roomId: 'r1' }, reason: null });
      await ctx.engine.moderationLog.append(e, 10);
      expect(await ctx.engine.moderationLog.list({ limit: 10 })).toEqual({ items: [e], nextCursor: null });
    });
  });
}
