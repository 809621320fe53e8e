import type { InstanceInfo } from '../../../src/engine/engine.types.js';
import { roomRecord, userRef, type EngineContext } from './fixtures.js';

const TTL = 5000;

function info(id: string, lastHeartbeat: number): InstanceInfo {
  return {
    id,
    host: 'host-a',
    pid: 1234,
    version: '1.0.0',
    startedAt: lastHeartbeat - 1000,
    lastHeartbeat,
    connections: 3,
    memory: { rss: 1000, heapUsed: 500 },
    eventLoopLagMs: 1.5,
    users: 2,
    messagesLastMinute: 7,
    overloadRefusalsLastMinute: 4,
  };
}

/** The instance registry: heartbeats, liveness, and reaping the seats of an instance that died. */
export function describeInstances(ctx: EngineContext): void {
  describe('heartbeat / listInstances / staleInstances', () => {
    it('lists an instance while its heartbeat is within the TTL, then reports it stale', async () => {
      const a = info('instance-a', ctx.t0);
      const b = info('instance-b', ctx.t0 + 1000);
      await ctx.engine.heartbeat(b, TTL);
      await ctx.engine.heartbeat(a, TTL);
      expect(await ctx.engine.listInstances(ctx.t0 + 1)).toEqual([a, b]);
      expect(await ctx.engine.staleInstances(ctx.t0 + 1)).toEqual([]);
      expect(await ctx.engine.listInstances(ctx.t0 + TTL)).toEqual([b]);
      expect(await ctx.engine.staleInstances(ctx.t0 + TTL)).toEqual(['instance-a']);
    });

    it('tells an instance whether it was still registered: not at first, nor after being reaped', async () => {
      expect(await ctx.engine.heartbeat(info(ctx.instanceId, ctx.t0), TTL)).toEqual({ wasRegistered: false });
      expect(await ctx.engine.heartbeat(info(ctx.instanceId, ctx.t0 + 100), TTL)).toEqual({ wasRegistered: true });
      await ctx.engine.reapInstance(ctx.instanceId);
      expect(await ctx.engine.heartbeat(info(ctx.instanceId, ctx.t0 + 200), TTL)).toEqual({ wasRegistered: false });
    });

    it('keeps the latest report of an instance', async () => {
      await ctx.engine.heartbeat(info('instance-a', ctx.t0), TTL);
      const later = { ...info('instance-a', ctx.t0 + 4000), connections: 9 };
      await ctx.engine.heartbeat(later, TTL);
      expect(await ctx.engine.listInstances(ctx.t0 + TTL + 1)).toEqual([later]);
    });
  });

  describe('reapInstance', () => {
    it("releases the dead instance's seats: users whose last socket it held leave", async () => {
      const record = roomRecord(ctx.t0);
      await ctx.engine.createRoom(record);
      const ada = userRef('ada');
      const bob = userRef('bob');
      await ctx.engine.joinRoom(record.id, ada, 'ada-1', ctx.t0);
      await ctx.engine.joinRoom(record.id, ada, 'ada-2', ctx.t0);
      await ctx.engine.joinRoom(record.id, bob, 'bob-1', ctx.t0);
      await ctx.engine.heartbeat(info(ctx.instanceId, ctx.t0), TTL);

      const reaped = await ctx.engine.reapInstance(ctx.instanceId);
      const byUser = reaped.filter((r) => r.lastSocket).map((r) => r.user.id);
      expect(reaped).toHaveLength(3);
      expect(byUser.sort()).toEqual([ada.id, bob.id].sort());
      expect(reaped.every((r) => r.roomId === record.id)).toBe(true);
      expect(reaped.find((r) => r.user.id === bob.id)).toMatchObject({ user: bob, lastSocket: true });
      expect(await ctx.engine.listMembers(record.id)).toEqual([]);
      expect((await ctx.engine.getRoom(record.id, ctx.t0))?.memberCount).toBe(0);
      expect(await ctx.engine.staleInstances(ctx.t0 + TTL)).toEqual([]);
      expect(await ctx.engine.listInstances(ctx.t0)).toEqual([]);
    });

    it('gives the seats to exactly one of several racing reapers', async () => {
      const record = roomRecord(ctx.t0);
      await ctx.engine.createRoom(record);
      for (const name of ['a', 'b', 'c']) {
        await ctx.engine.joinRoom(record.id, userRef(name), `${name}-socket`, ctx.t0);
      }
      const results = await Promise.all([1, 2, 3, 4].map(() => ctx.engine.reapInstance(ctx.instanceId)));
      expect(results.map((r) => r.length).sort()).toEqual([0, 0, 0, 3]);
    });

    it('forgets seats that were released normally or with their room', async () => {
      const kept = roomRecord(ctx.t0);
      const closed = roomRecord(ctx.t0);
      await ctx.engine.createRoom(kept);
      await ctx.engine.createRoom(closed);
      const ada = userRef('ada');
      await ctx.engine.joinRoom(kept.id, ada, 'ada-1', ctx.t0);
      await ctx.engine.joinRoom(kept.id, ada, 'ada-2', ctx.t0);
      await ctx.engine.leaveRoom(kept.id, ada.id, 'ada-1');
      await ctx.engine.joinRoom(closed.id, ada, 'ada-3', ctx.t0);
      await ctx.engine.deleteRoom(closed.id);
      const reaped = await ctx.engine.reapInstance(ctx.instanceId);
      expect(reaped).toEqual([{ roomId: kept.id, user: ada, lastSocket: true, memberCount: 0 }]);
    });

    it('gives nothing for an unknown instance', async () => {
      expect(await ctx.engine.reapInstance('nobody')).toEqual([]);
    });
  });
}
