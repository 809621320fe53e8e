import { PasswordHasher } from '../auth/password-hasher.js';
import { ChatError } from '../common/errors/chat-error.js';
import { buildAppConfig } from '../config/app-config.js';
import { MemoryEngine } from '../engine/memory/memory.engine.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { RoomLifecycleService } from './room-lifecycle.service.js';
import { RoomsService } from './rooms.service.js';

const owner = { id: 'owner-1', username: 'owner', kind: 'guest' as const };
const visitor = { id: 'visitor-1', username: 'visitor', kind: 'guest' as const };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as ChatError).code;
  }
  return 'resolved';
}

describe('RoomsService', () => {
  const config = buildAppConfig({ NODE_ENV: 'test', SCRYPT_COST: '1024', ROOM_MAX_USERS_LIMIT: '50' });
  let engine: MemoryEngine;
  let lifecycle: RoomLifecycleService;
  let rooms: RoomsService;

  beforeEach(() => {
    engine = new MemoryEngine();
    lifecycle = new RoomLifecycleService(engine, new RealtimeService(null, engine, config));
    rooms = new RoomsService(engine, config, new PasswordHasher(config), lifecycle);
  });

  afterEach(() => lifecycle.onModuleDestroy());

  it('applies the configured defaults and limits', async () => {
    const room = await rooms.create(owner, { name: 'r' });
    expect(room.maxUsers).toBe(config.rooms.defaultMaxUsers);
    expect(room.expiresAt - room.createdAt).toBe(config.rooms.defaultTtlSeconds * 1000);
    expect(await codeOf(rooms.create(owner, { name: 'r', maxUsers: 51 }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(rooms.create(owner, { name: 'r', ttlSeconds: config.rooms.minTtlSeconds - 1 }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('stores only a hash of the password and lets the owner in without it', async () => {
    const room = await rooms.create(owner, { name: 'r', password: 'open sesame' });
    expect(room.passwordHash).not.toContain('open sesame');
    await expect(rooms.admit(room, owner, undefined)).resolves.toBeUndefined();
    await expect(rooms.members(owner, room.id)).resolves.toEqual([]);
  });

  it('grants a password room for good once the right password was given', async () => {
    const room = await rooms.create(owner, { name: 'r', password: 'open sesame' });
    expect(await codeOf(rooms.members(visitor, room.id))).toBe('NOT_A_MEMBER');
    expect(await codeOf(rooms.admit(room, visitor, 'wrong'))).toBe('WRONG_PASSWORD');
    await rooms.admit(room, visitor, 'open sesame');
    await expect(rooms.admit(room, visitor, undefined)).resolves.toBeUndefined();
    await expect(rooms.history(visitor, room.id, {})).resolves.toMatchObject({ messages: [] });
  });

  it('lets only the owner delete a room, once', async () => {
    const room = await rooms.create(owner, { name: 'r' });
    expect(await codeOf(rooms.deleteAsOwner(visitor, room.id))).toBe('FORBIDDEN');
    await rooms.deleteAsOwner(owner, room.id);
    expect(await codeOf(rooms.get(room.id))).toBe('ROOM_NOT_FOUND');
    expect(await codeOf(rooms.deleteAsOwner(owner, room.id))).toBe('ROOM_NOT_FOUND');
  });
});
