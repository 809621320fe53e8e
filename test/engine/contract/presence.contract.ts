import { newId } from '../../../src/common/ids.js';
import type { JoinResult, RoomRecord, UserRef } from '../../../src/engine/engine.types.js';
import { count, draft, MINUTE, roomRecord, userRef, type EngineContext } from './fixtures.js';

const isFirstSeat = (result: JoinResult): boolean => result.status === 'joined' && result.firstSocket;

/** joinRoom, leaveRoom, listMembers, isMember, renameMember. */
export function describePresence(ctx: EngineContext): void {
  async function room(overrides: Partial<RoomRecord> = {}): Promise<RoomRecord> {
    const record = roomRecord(ctx.t0, overrides);
    await ctx.engine.createRoom(record);
    return record;
  }

  async function seat(roomId: string, users: UserRef[]): Promise<void> {
    for (const user of users) {
      expect((await ctx.engine.joinRoom(roomId, user, newId(), ctx.t0)).status).toBe('joined');
    }
  }

  describe('joinRoom', () => {
    it('seats a user with the first socket and not again with the second', async () => {
      const { id } = await room();
      const ada = userRef('ada');
      expect(await ctx.engine.joinRoom(id, ada, 's1', ctx.t0)).toEqual({
        status: 'joined',
        firstSocket: true,
        memberCount: 1,
      });
      expect(await ctx.engine.joinRoom(id, ada, 's2', ctx.t0)).toEqual({
        status: 'joined',
        firstSocket: false,
        memberCount: 1,
      });
      expect(await ctx.engine.joinRoom(id, userRef('bob'), 's3', ctx.t0)).toEqual({
        status: 'joined',
        firstSocket: true,
        memberCount: 2,
      });
      expect((await ctx.engine.getRoom(id, ctx.t0))?.memberCount).toBe(2);
    });

    it('treats joining again with the same socket as a no-op', async () => {
      const { id } = await room();
      const ada = userRef('ada');
      await ctx.engine.joinRoom(id, ada, 's1', ctx.t0);
      expect(await ctx.engine.joinRoom(id, ada, 's1', ctx.t0)).toEqual({
        status: 'joined',
        firstSocket: false,
        memberCount: 1,
      });
      // The socket is held once: leaving with it once is leaving with the last socket.
      expect(await ctx.engine.leaveRoom(id, ada.id, 's1')).toEqual({
        lastSocket: true,
        wasMember: true,
        memberCount: 0,
      });
      expect(await ctx.engine.isMember(id, ada.id)).toBe(false);
    });

    it('refuses a new user when maxUsers users are seated', async () => {
      const { id } = await room({ maxUsers: 2 });
      const seated = [userRef('ada'), userRef('bob')];
      await seat(id, seated);
      const eve = userRef('eve');
      expect(await ctx.engine.joinRoom(id, eve, 's9', ctx.t0)).toEqual({ status: 'full' });
      expect(await ctx.engine.isMember(id, eve.id)).toBe(false);
      expect(await ctx.engine.listMembers(id)).toEqual(seated);
      expect((await ctx.engine.getRoom(id, ctx.t0))?.memberCount).toBe(2);
    });

    it('lets a seated user in through another socket when the room is full', async () => {
      const { id } = await room({ maxUsers: 2 });
      const [ada, bob] = [userRef('ada'), userRef('bob')];
      await seat(id, [ada, bob]);
      expect(await ctx.engine.joinRoom(id, ada, 'another-tab', ctx.t0)).toEqual({
        status: 'joined',
        firstSocket: false,
        memberCount: 2,
      });
    });

    it('frees the seat of a user who left', async () => {
      const { id } = await room({ maxUsers: 2 });
      const [ada, bob] = [userRef('ada'), userRef('bob')];
      await ctx.engine.joinRoom(id, ada, 's1', ctx.t0);
      await ctx.engine.joinRoom(id, bob, 's2', ctx.t0);
      await ctx.engine.leaveRoom(id, ada.id, 's1');
      expect(await ctx.engine.joinRoom(id, userRef('eve'), 's3', ctx.t0)).toMatchObject({ status: 'joined' });
    });

    it('answers missing for an unknown, expired or deleted room', async () => {
      const ada = userRef('ada');
      expect(await ctx.engine.joinRoom(newId(), ada, 's1', ctx.t0)).toEqual({ status: 'missing' });
      const expiring = await room({ expiresAt: ctx.t0 + MINUTE });
      expect(await ctx.engine.joinRoom(expiring.id, ada, 's1', expiring.expiresAt)).toEqual({ status: 'missing' });
      expect(await ctx.engine.isMember(expiring.id, ada.id)).toBe(false);
      const deleted = await room();
      await ctx.engine.deleteRoom(deleted.id);
      expect(await ctx.engine.joinRoom(deleted.id, ada, 's1', ctx.t0)).toEqual({ status: 'missing' });
    });

    it('never lets racing joins take more than the free seats', async () => {
      const { id } = await room({ maxUsers: 5 });
      await seat(id, [userRef('a'), userRef('b'), userRef('c')]);
      const racers = Array.from({ length: 12 }, (_, i) => userRef(`racer${i}`));
      const results = await Promise.all(racers.map((user) => ctx.engine.joinRoom(id, user, newId(), ctx.t0)));
      expect(count(results, isFirstSeat)).toBe(2);
      expect(count(results, (result) => result.status === 'full')).toBe(10);
      const members = await ctx.engine.listMembers(id);
      expect(members).toHaveLength(5);
      expect(new Set(members.map((member) => member.id)).size).toBe(5);
      expect((await ctx.engine.getRoom(id, ctx.t0))?.memberCount).toBe(5);
    });

    it('fills an empty room with exactly maxUsers of many racing users', async () => {
      const { id } = await room({ maxUsers: 3 });
      const racers = Array.from({ length: 20 }, (_, i) => userRef(`racer${i}`));
      const results = await Promise.all(racers.map((user) => ctx.engine.joinRoom(id, user, newId(), ctx.t0)));
      expect(count(results, isFirstSeat)).toBe(3);
      expect(count(results, (result) => result.status === 'full')).toBe(17);
      const joinedIds = racers.filter((_, i) => results[i].status === 'joined').map((user) => user.id);
      expect((await ctx.engine.listMembers(id)).map((member) => member.id).sort()).toEqual(joinedIds.sort());
    });

    it('seats a user once however many of their sockets race in', async () => {
      const { id } = await room({ maxUsers: 2 });
      const ada = userRef('ada');
      const sockets = Array.from({ length: 10 }, () => newId());
      const results = await Promise.all(sockets.map((socket) => ctx.engine.joinRoom(id, ada, socket, ctx.t0)));
      expect(count(results, isFirstSeat)).toBe(1);
      expect(results.every((result) => result.status === 'joined' && result.memberCount === 1)).toBe(true);
      expect(await ctx.engine.listMembers(id)).toEqual([ada]);
    });
  });

  describe('leaveRoom', () => {
    it('lets the user leave with their last socket', async () => {
      const { id } = await room();
      const ada = userRef('ada');
      await ctx.engine.joinRoom(id, ada, 's1', ctx.t0);
      await ctx.engine.joinRoom(id, ada, 's2', ctx.t0);
      expect(await ctx.engine.leaveRoom(id, ada.id, 's1')).toEqual({
        lastSocket: false,
        wasMember: true,
        memberCount: 1,
      });
      expect(await ctx.engine.isMember(id, ada.id)).toBe(true);
      expect(await ctx.engine.leaveRoom(id, ada.id, 's2')).toEqual({
        lastSocket: true,
        wasMember: true,
        memberCount: 0,
      });
      expect(await ctx.engine.isMember(id, ada.id)).toBe(false);
      expect(await ctx.engine.listMembers(id)).toEqual([]);
      expect((await ctx.engine.getRoom(id, ctx.t0))?.memberCount).toBe(0);
    });

    it('reports wasMember false for a socket that is not in the room', async () => {
      const { id } = await room();
      const [ada, bob] = [userRef('ada'), userRef('bob')];
      await ctx.engine.joinRoom(id, ada, 's1', ctx.t0);
      const notThere = { lastSocket: false, wasMember: false, memberCount: 1 };
      expect(await ctx.engine.leaveRoom(id, ada.id, 'unknown-socket')).toEqual(notThere);
      expect(await ctx.engine.leaveRoom(id, bob.id, 's1')).toEqual(notThere);
      expect(await ctx.engine.isMember(id, ada.id)).toBe(true);
      await ctx.engine.leaveRoom(id, ada.id, 's1');
      expect(await ctx.engine.leaveRoom(id, ada.id, 's1')).toEqual({ ...notThere, memberCount: 0 });
    });

    it('reports wasMember false for an unknown room', async () => {
      expect(await ctx.engine.leaveRoom(newId(), newId(), 's1')).toMatchObject({
        lastSocket: false,
        wasMember: false,
      });
    });

    it('gives lastSocket to exactly one of two sockets leaving at once', async () => {
      const { id } = await room();
      const ada = userRef('ada');
      await ctx.engine.joinRoom(id, ada, 's1', ctx.t0);
      await ctx.engine.joinRoom(id, ada, 's2', ctx.t0);
      const results = await Promise.all([
        ctx.engine.leaveRoom(id, ada.id, 's1'),
        ctx.engine.leaveRoom(id, ada.id, 's2'),
      ]);
      expect(count(results, (result) => result.lastSocket)).toBe(1);
      expect(count(results, (result) => result.wasMember)).toBe(2);
      expect(await ctx.engine.isMember(id, ada.id)).toBe(false);
    });
  });

  describe('listMembers / isMember', () => {
    it('lists each seated user once, in the order they joined', async () => {
      const { id } = await room();
      const [ada, bob, cyd] = [userRef('ada', 'member'), userRef('bob', 'external'), userRef('cyd')];
      await ctx.engine.joinRoom(id, bob, 's1', ctx.t0);
      await ctx.engine.joinRoom(id, ada, 's2', ctx.t0);
      await ctx.engine.joinRoom(id, bob, 's3', ctx.t0);
      await ctx.engine.joinRoom(id, cyd, 's4', ctx.t0);
      expect(await ctx.engine.listMembers(id)).toEqual([bob, ada, cyd]);
      expect(await ctx.engine.isMember(id, ada.id)).toBe(true);
      expect(await ctx.engine.isMember(id, newId())).toBe(false);
    });

    it('knows nothing about an unknown room', async () => {
      expect(await ctx.engine.listMembers(newId())).toEqual([]);
      expect(await ctx.engine.isMember(newId(), newId())).toBe(false);
    });
  });

  describe('renameMember', () => {
    it('renames the user in every room they are in and returns those rooms', async () => {
      const [a, b, c] = [await room(), await room(), await room()];
      const [ada, bob] = [userRef('ada'), userRef('bob')];
      for (const { id } of [a, b, c]) {
        await ctx.engine.joinRoom(id, ada, 'ada-socket', ctx.t0);
        await ctx.engine.joinRoom(id, bob, 'bob-socket', ctx.t0);
      }
      await ctx.engine.leaveRoom(c.id, ada.id, 'ada-socket');

      expect((await ctx.engine.renameMember(ada.id, 'ada lovelace')).sort()).toEqual([a.id, b.id].sort());
      for (const { id } of [a, b]) {
        expect(await ctx.engine.listMembers(id)).toEqual([{ ...ada, username: 'ada lovelace' }, bob]);
      }
      expect(await ctx.engine.listMembers(c.id)).toEqual([bob]);
    });

    it('returns no rooms for a user who is seated nowhere', async () => {
      const { id } = await room();
      const ada = userRef('ada');
      await ctx.engine.joinRoom(id, ada, 's1', ctx.t0);
      await ctx.engine.leaveRoom(id, ada.id, 's1');
      expect(await ctx.engine.renameMember(ada.id, 'ghost')).toEqual([]);
      expect(await ctx.engine.renameMember(newId(), 'ghost')).toEqual([]);
    });
  });

  describe('roomStats', () => {
    it('counts distinct participants ever seated and the time of the last join or message', async () => {
      const record = roomRecord(ctx.t0);
      await ctx.engine.createRoom(record);
      const [ada, bob] = [userRef('ada'), userRef('bob')];
      expect(await ctx.engine.roomStats(record.id)).toEqual({ participantCount: 0, lastActivityAt: record.createdAt });
      await ctx.engine.joinRoom(record.id, ada, 'ada-1', ctx.t0 + 5);
      expect(await ctx.engine.roomStats(record.id)).toEqual({ participantCount: 1, lastActivityAt: ctx.t0 + 5 });
      await ctx.engine.leaveRoom(record.id, ada.id, 'ada-1');
      await ctx.engine.joinRoom(record.id, bob, 'bob-1', ctx.t0 + 10);
      await ctx.engine.joinRoom(record.id, ada, 'ada-2', ctx.t0 + 15);
      expect(await ctx.engine.roomStats(record.id)).toEqual({ participantCount: 2, lastActivityAt: ctx.t0 + 15 });
      await ctx.engine.appendMessage(record.id, draft(bob, ctx.t0 + 20), 100);
      expect(await ctx.engine.roomStats(record.id)).toEqual({ participantCount: 2, lastActivityAt: ctx.t0 + 20 });
      await ctx.engine.deleteRoom(record.id);
      expect(await ctx.engine.roomStats(record.id)).toBeNull();
      expect(await ctx.engine.roomStats('no-such-room')).toBeNull();
    });
  });
}
