import { jest } from '@jest/globals';
import { newId } from '../common/ids.js';
import { buildAppConfig } from '../config/app-config.js';
import { MemoryEngine } from '../engine/memory/memory.engine.js';
import type { RoomRecord } from '../engine/engine.types.js';
import { RealtimeService, type CloseReason } from '../realtime/realtime.service.js';
import { RoomLifecycleService } from './room-lifecycle.service.js';

/** Records what members would be told instead of emitting on a namespace. */
class RecordingRealtime extends RealtimeService {
  readonly closed: Array<{ roomId: string; reason: CloseReason; at: number }> = [];
  override roomClosed(roomId: string, reason: CloseReason): void {
    this.closed.push({ roomId, reason, at: Date.now() });
  }
}

function room(expiresAt: number): RoomRecord {
  return {
    id: newId(),
    name: 'r',
    topic: null,
    visibility: 'public',
    passwordHash: null,
    maxUsers: 10,
    ownerId: 'owner',
    createdAt: Date.now(),
    expiresAt,
  };
}

describe('RoomLifecycleService', () => {
  let engine: MemoryEngine;
  let realtime: RecordingRealtime;
  let lifecycle: RoomLifecycleService;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    engine = new MemoryEngine();
    realtime = new RecordingRealtime(null, engine, buildAppConfig({ NODE_ENV: 'test' }));
    lifecycle = new RoomLifecycleService(engine, realtime);
  });

  afterEach(() => {
    lifecycle.onModuleDestroy();
    jest.useRealTimers();
  });

  it('closes each room at its expiresAt, earliest first, and not before', async () => {
    const late = await engine.createRoom(room(Date.now() + 5000));
    const early = await engine.createRoom(room(Date.now() + 2000));
    lifecycle.scheduleExpiry(late.expiresAt);
    lifecycle.scheduleExpiry(early.expiresAt);

    await jest.advanceTimersByTimeAsync(1999);
    expect(realtime.closed).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(realtime.closed).toEqual([{ roomId: early.id, reason: 'expired', at: early.expiresAt }]);
    await jest.advanceTimersByTimeAsync(3000);
    expect(realtime.closed.map((c) => [c.roomId, c.at])).toEqual([
      [early.id, early.expiresAt],
      [late.id, late.expiresAt],
    ]);
    expect(await engine.getRoom(late.id, 0)).toBeNull();
  });

  it('picks up rooms that were stored before boot', async () => {
    const stored = await engine.createRoom(room(Date.now() + 1000));
    await lifecycle.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(1000);
    expect(realtime.closed.map((c) => c.roomId)).toEqual([stored.id]);
  });

  it('closes a room once even when it was already closed by its owner', async () => {
    const r = await engine.createRoom(room(Date.now() + 1000));
    lifecycle.scheduleExpiry(r.expiresAt);
    expect(await lifecycle.close(r.id, 'deleted')).toBe(true);
    expect(await lifecycle.close(r.id, 'deleted')).toBe(false);
    await jest.advanceTimersByTimeAsync(2000);
    expect(realtime.closed.map((c) => c.reason)).toEqual(['deleted']);
  });
});
