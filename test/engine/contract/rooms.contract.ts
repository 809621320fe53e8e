import { ChatError } from '../../../src/common/errors/chat-error.js';
import { newId } from '../../../src/common/ids.js';
import type { RoomState } from '../../../src/engine/engine.types.js';
import { count, draft, MINUTE, roomRecord, userRef, type EngineContext } from './fixtures.js';

/** createRoom, getRoom, deleteRoom, dueRooms, nextExpiry. */
export function describeRooms(ctx: EngineContext): void {
  describe('createRoom / getRoom', () => {
    it('stores the room with no members, no messages and an epoch', async () => {
      const record = roomRecord(ctx.t0, { topic: 'news', visibility: 'private', passwordHash: 'hash' });
      const created = await ctx.engine.createRoom(record);
      expect(created).toMatchObject({ ...record, memberCount: 0, lastSeq: 0 });
      expect(typeof created.epoch).toBe('string');
      expect(created.epoch.length).toBeGreaterThan(0);
      expect(await ctx.engine.getRoom(record.id, ctx.t0)).toEqual(created);
    });

    it('keeps its own copy of the record', async () => {
      const record = roomRecord(ctx.t0);
      await ctx.engine.createRoom(record);
      record.name = 'changed';
      expect((await ctx.engine.getRoom(record.id, ctx.t0))?.name).toBe('general');
    });

    it('gives null for an unknown room', async () => {
      expect(await ctx.engine.getRoom(newId(), ctx.t0)).toBeNull();
    });

    it('gives null from the instant the room expires', async () => {
      const record = roomRecord(ctx.t0, { expiresAt: ctx.t0 + MINUTE });
      await ctx.engine.createRoom(record);
      expect(await ctx.engine.getRoom(record.id, record.expiresAt - 1)).not.toBeNull();
      expect(await ctx.engine.getRoom(record.id, record.expiresAt)).toBeNull();
      expect(await ctx.engine.getRoom(record.id, record.expiresAt + MINUTE)).toBeNull();
    });

    it('reports the member count and the last seq', async () => {
      const record = roomRecord(ctx.t0);
      await ctx.engine.createRoom(record);
      const ada = userRef('ada');
      await ctx.engine.joinRoom(record.id, ada, 's1', ctx.t0);
      await ctx.engine.joinRoom(record.id, ada, 's2', ctx.t0);
      await ctx.engine.joinRoom(record.id, userRef('bob'), 's3', ctx.t0);
      await ctx.engine.appendMessage(record.id, draft(ada, ctx.t0), 100);
      await ctx.engine.appendMessage(record.id, draft(ada, ctx.t0), 100);
      expect(await ctx.engine.getRoom(record.id, ctx.t0)).toMatchObject({ memberCount: 2, lastSeq: 2 });
    });
  });

  describe('deleteRoom', () => {
    it('returns the room once, then null', async () => {
      const record = roomRecord(ctx.t0);
      await ctx.engine.createRoom(record);
      expect(await ctx.engine.deleteRoom(record.id)).toMatchObject(record);
      expect(await ctx.engine.deleteRoom(record.id)).toBeNull();
      expect(await ctx.engine.getRoom(record.id, ctx.t0)).toBeNull();
      expect((await ctx.engine.listRooms({ publicOnly: false, limit: 10, now: ctx.t0 })).items).toEqual([]);
    });

    it('gives null for an unknown room', async () => {
      expect(await ctx.engine.deleteRoom(newId())).toBeNull();
    });

    it('removes an expired room too (the sweeper deletes what dueRooms reports)', async () => {
      const record = roomRecord(ctx.t0, { expiresAt: ctx.t0 + MINUTE });
      await ctx.engine.createRoom(record);
      expect(await ctx.engine.deleteRoom(record.id)).toMatchObject(record);
      expect(await ctx.engine.dueRooms(ctx.t0 + 2 * MINUTE, 10)).toEqual([]);
      expect(await ctx.engine.nextExpiry()).toBeNull();
    });

    it('lets exactly one of many racing calls remove the room', async () => {
      const record = roomRecord(ctx.t0);
      await ctx.engine.createRoom(record);
      const results = await Promise.all(Array.from({ length: 8 }, () => ctx.engine.deleteRoom(record.id)));
      expect(count(results, (result) => result !== null)).toBe(1);
    });

    it('removes history, presence, grants and idempotency keys', async () => {
      const record = roomRecord(ctx.t0);
      const before = await ctx.engine.createRoom(record);
      const ada = userRef('ada');
      await ctx.engine.joinRoom(record.id, ada, 's1', ctx.t0);
      await ctx.engine.grantAccess(record.id, ada.id);
      await ctx.engine.appendMessage(record.id, draft(ada, ctx.t0, { clientMsgId: 'c1' }), 100);
      await ctx.engine.deleteRoom(record.id);

      expect(await ctx.engine.listMembers(record.id)).toEqual([]);
      expect(await ctx.engine.isMember(record.id, ada.id)).toBe(false);
      expect(await ctx.engine.renameMember(ada.id, 'ada2')).toEqual([]);
      expect(await ctx.engine.hasAccess(record.id, ada.id)).toBe(false);
      expect(await ctx.engine.getMessages(record.id, { limit: 10 })).toEqual([]);
      expect(await ctx.engine.firstSeq(record.id)).toBeNull();

      // A room re-created with the same id starts clean, with a new epoch.
      const again = await ctx.engine.createRoom(record);
      expect(again).toMatchObject({ memberCount: 0, lastSeq: 0 });
      expect(again.epoch).not.toBe(before.epoch);
      expect(await ctx.engine.hasAccess(record.id, ada.id)).toBe(false);
      expect(await ctx.engine.getMessages(record.id, { limit: 10 })).toEqual([]);
      const retry = await ctx.engine.appendMessage(record.id, draft(ada, ctx.t0, { clientMsgId: 'c1' }), 100);
      expect(retry).toMatchObject({ status: 'appended', message: { seq: 1 } });
      expect(await ctx.engine.joinRoom(record.id, ada, 's1', ctx.t0)).toEqual({
        status: 'joined',
        firstSocket: true,
        memberCount: 1,
      });
    });
  });

  describe('dueRooms / nextExpiry', () => {
    it('reports nothing when there are no rooms', async () => {
      expect(await ctx.engine.nextExpiry()).toBeNull();
      expect(await ctx.engine.dueRooms(ctx.t0 + 100 * MINUTE, 10)).toEqual([]);
    });

    it('lists expired rooms earliest first, up to the limit', async () => {
      const expiries = [5, 2, 9, 1, 7];
      const rooms = expiries.map((minutes) => roomRecord(ctx.t0, { expiresAt: ctx.t0 + minutes * MINUTE }));
      for (const room of rooms) {
        await ctx.engine.createRoom(room);
      }
      const idAt = (minutes: number): string => rooms[expiries.indexOf(minutes)].id;

      expect(await ctx.engine.nextExpiry()).toBe(ctx.t0 + MINUTE);
      expect(await ctx.engine.dueRooms(ctx.t0, 10)).toEqual([]);
      expect(await ctx.engine.dueRooms(ctx.t0 + 6 * MINUTE, 10)).toEqual([idAt(1), idAt(2), idAt(5)]);
      expect(await ctx.engine.dueRooms(ctx.t0 + 7 * MINUTE, 10)).toEqual([idAt(1), idAt(2), idAt(5), idAt(7)]);
      expect(await ctx.engine.dueRooms(ctx.t0 + 7 * MINUTE - 1, 10)).toEqual([idAt(1), idAt(2), idAt(5)]);
      expect(await ctx.engine.dueRooms(ctx.t0 + 100 * MINUTE, 2)).toEqual([idAt(1), idAt(2)]);
    });

    it('keeps an expired room due until it is deleted', async () => {
      const early = roomRecord(ctx.t0, { expiresAt: ctx.t0 + MINUTE });
      const late = roomRecord(ctx.t0, { expiresAt: ctx.t0 + 3 * MINUTE });
      await ctx.engine.createRoom(late);
      await ctx.engine.createRoom(early);
      expect(await ctx.engine.dueRooms(ctx.t0 + 2 * MINUTE, 10)).toEqual([early.id]);
      expect(await ctx.engine.nextExpiry()).toBe(early.expiresAt);

      await ctx.engine.deleteRoom(early.id);
      expect(await ctx.engine.dueRooms(ctx.t0 + 2 * MINUTE, 10)).toEqual([]);
      expect(await ctx.engine.nextExpiry()).toBe(late.expiresAt);
      await ctx.engine.deleteRoom(late.id);
      expect(await ctx.engine.nextExpiry()).toBeNull();
    });
  });

  describeListRooms(ctx);
}

function describeListRooms(ctx: EngineContext): void {
  /** Follows nextCursor from the first page to the last, checking each page's size. */
  async function listAll(publicOnly: boolean, limit: number, now = ctx.t0): Promise<RoomState[]> {
    const items: RoomState[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await ctx.engine.listRooms({ publicOnly, limit, cursor, now });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.items);
      if (page.nextCursor === null) {
        return items;
      }
      cursor = page.nextCursor;
    }
    throw new Error('listRooms never returned a null nextCursor');
  }

  describe('countRooms', () => {
    it('counts the live rooms at a moment', async () => {
      const soon = roomRecord(ctx.t0, { expiresAt: ctx.t0 + MINUTE });
      const later = roomRecord(ctx.t0, { expiresAt: ctx.t0 + 2 * MINUTE, visibility: 'private' });
      expect(await ctx.engine.countRooms(ctx.t0)).toBe(0);
      await ctx.engine.createRoom(soon);
      await ctx.engine.createRoom(later);
      expect(await ctx.engine.countRooms(ctx.t0)).toBe(2);
      expect(await ctx.engine.countRooms(ctx.t0 + MINUTE)).toBe(1);
      await ctx.engine.deleteRoom(later.id);
      expect(await ctx.engine.countRooms(ctx.t0)).toBe(1);
    });
  });

  describe('listRooms', () => {
    it('lists public rooms only, or every room', async () => {
      const open = roomRecord(ctx.t0);
      const hidden = roomRecord(ctx.t0 + 1, { visibility: 'private' });
      await ctx.engine.createRoom(open);
      await ctx.engine.createRoom(hidden);
      const publicPage = await ctx.engine.listRooms({ publicOnly: true, limit: 10, now: ctx.t0 });
      expect(publicPage).toEqual({ items: [await ctx.engine.getRoom(open.id, ctx.t0)], nextCursor: null });
      const all = await ctx.engine.listRooms({ publicOnly: false, limit: 10, now: ctx.t0 });
      expect(all.items.map((room) => room.id)).toEqual([hidden.id, open.id]);
    });

    it('filters by a part of the name, ignoring the case of A-Z, across pages', async () => {
      const names = ['Design Review', 'design sync', 'Lobby', 'REVIEW board', 'Zoë Café'];
      const rooms = names.map((name, i) =>
        roomRecord(ctx.t0 + i, { name, visibility: i === 3 ? 'private' : 'public' }),
      );
      for (const room of rooms) {
        await ctx.engine.createRoom(room);
      }
      const found = async (nameContains: string, publicOnly = false, limit = 10) => {
        const first = await ctx.engine.listRooms({ publicOnly, limit, now: ctx.t0, nameContains });
        const rest = first.nextCursor
          ? await ctx.engine.listRooms({ publicOnly, limit, now: ctx.t0, nameContains, cursor: first.nextCursor })
          : { items: [], nextCursor: null };
        expect(rest.nextCursor).toBeNull();
        return [...first.items, ...rest.items].map((room) => room.name);
      };
      expect(await found('review')).toEqual(['REVIEW board', 'Design Review']);
      expect(await found('review', true)).toEqual(['Design Review']);
      expect(await found('DESIGN', false, 1)).toEqual(['design sync', 'Design Review']);
      expect(await found('café')).toEqual(['Zoë Café']);
      expect(await found('nothing like it')).toEqual([]);
    });

    it('lists newest first', async () => {
      const rooms = [3, 1, 4, 2].map((offset) => roomRecord(ctx.t0 + offset));
      for (const room of rooms) {
        await ctx.engine.createRoom(room);
      }
      const page = await ctx.engine.listRooms({ publicOnly: true, limit: 10, now: ctx.t0 });
      expect(page.items.map((room) => room.createdAt - ctx.t0)).toEqual([4, 3, 2, 1]);
      expect(page.nextCursor).toBeNull();
    });

    it('does not list expired rooms', async () => {
      const soon = roomRecord(ctx.t0, { expiresAt: ctx.t0 + MINUTE });
      const later = roomRecord(ctx.t0, { expiresAt: ctx.t0 + 2 * MINUTE });
      await ctx.engine.createRoom(soon);
      await ctx.engine.createRoom(later);
      const ids = async (now: number) =>
        (await ctx.engine.listRooms({ publicOnly: false, limit: 10, now })).items.map((room) => room.id);
      expect((await ids(ctx.t0 + MINUTE - 1)).sort()).toEqual([soon.id, later.id].sort());
      expect(await ids(ctx.t0 + MINUTE)).toEqual([later.id]);
      expect(await ids(ctx.t0 + 2 * MINUTE)).toEqual([]);
    });

    it('pages through every room once, with no duplicates or gaps', async () => {
      // Some rooms share a creation time: the cursor must still split them exactly.
      const offsets = [0, 1, 1, 1, 2, 3, 3, 4, 5, 5, 5, 5, 6];
      const rooms = offsets.map((offset, index) =>
        roomRecord(ctx.t0 + offset, { visibility: index % 3 === 0 ? 'private' : 'public' }),
      );
      for (const room of rooms) {
        await ctx.engine.createRoom(room);
      }
      for (const publicOnly of [true, false]) {
        const expected = rooms.filter((room) => !publicOnly || room.visibility === 'public').map((room) => room.id);
        for (const limit of [1, 2, 3, 5, 50]) {
          const listed = await listAll(publicOnly, limit);
          const ids = listed.map((room) => room.id);
          expect(new Set(ids).size).toBe(ids.length);
          expect([...ids].sort()).toEqual([...expected].sort());
          const times = listed.map((room) => room.createdAt);
          expect(times).toEqual([...times].sort((a, b) => b - a));
        }
      }
    });

    it('gives a null cursor on a page that is not full', async () => {
      await ctx.engine.createRoom(roomRecord(ctx.t0));
      await ctx.engine.createRoom(roomRecord(ctx.t0 + 1));
      const page = await ctx.engine.listRooms({ publicOnly: true, limit: 5, now: ctx.t0 });
      expect(page.items).toHaveLength(2);
      expect(page.nextCursor).toBeNull();
    });

    it('gives a null cursor on the last page, even when it is full or only hidden rooms remain', async () => {
      const hidden = roomRecord(ctx.t0, { visibility: 'private' });
      const older = roomRecord(ctx.t0 + 1);
      const newer = roomRecord(ctx.t0 + 2);
      for (const room of [hidden, older, newer]) {
        await ctx.engine.createRoom(room);
      }
      const page = await ctx.engine.listRooms({ publicOnly: true, limit: 2, now: ctx.t0 });
      expect(page.items.map((room) => room.id)).toEqual([newer.id, older.id]);
      expect(page.nextCursor).toBeNull();
      const first = await ctx.engine.listRooms({ publicOnly: false, limit: 2, now: ctx.t0 });
      expect(first.nextCursor).not.toBeNull();
    });

    it('keeps a cursor valid when rooms are created or deleted between pages', async () => {
      const rooms = [0, 1, 2, 3, 4, 5].map((offset) => roomRecord(ctx.t0 + offset));
      for (const room of rooms) {
        await ctx.engine.createRoom(room);
      }
      const first = await ctx.engine.listRooms({ publicOnly: true, limit: 2, now: ctx.t0 });
      expect(first.items.map((room) => room.id)).toEqual([rooms[5].id, rooms[4].id]);
      expect(first.nextCursor).not.toBeNull();

      await ctx.engine.deleteRoom(rooms[4].id);
      await ctx.engine.createRoom(roomRecord(ctx.t0 + 10));
      const second = await ctx.engine.listRooms({
        publicOnly: true,
        limit: 2,
        cursor: first.nextCursor ?? undefined,
        now: ctx.t0,
      });
      expect(second.items.map((room) => room.id)).toEqual([rooms[3].id, rooms[2].id]);
    });

    it.each(['garbage', '%%%', Buffer.from('hello', 'utf8').toString('base64url'), 'MTIzOg'])(
      'rejects the malformed cursor %p with VALIDATION_FAILED',
      async (cursor) => {
        await ctx.engine.createRoom(roomRecord(ctx.t0));
        const listing = ctx.engine.listRooms({ publicOnly: true, limit: 10, cursor, now: ctx.t0 });
        await expect(listing).rejects.toBeInstanceOf(ChatError);
        await expect(listing).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      },
    );
  });
}
