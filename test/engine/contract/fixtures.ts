import { newId } from '../../../src/common/ids.js';
import type { ChatEngine } from '../../../src/engine/engine.port.js';
import type { MessageDraft, RoomRecord, UserKind, UserRef } from '../../../src/engine/engine.types.js';

export const MINUTE = 60_000;

/** What makeEngine gives the suite: a fresh, empty engine and a way to release it. */
export interface EngineUnderTest {
  engine: ChatEngine;
  /** The instance id the engine records the seats it takes under. */
  instanceId: string;
  dispose(): Promise<void>;
}

export type EngineFactory = () => Promise<EngineUnderTest>;

/**
 * The engine of the running test and the time it starts at. Every test gets a fresh engine, so
 * engine-wide answers (dueRooms, nextExpiry, listRooms) see only what the test itself stored.
 * `t0` is the real clock at the start of the test (an engine may mirror `expiresAt` into real key
 * TTLs); every later instant is `t0` plus an explicit offset, never a sleep.
 */
export class EngineContext {
  engine!: ChatEngine;
  instanceId = '';
  t0 = 0;
}

/** Declares the hooks that give each test of the enclosing describe a fresh engine. */
export function useEngine(makeEngine: EngineFactory): EngineContext {
  const context = new EngineContext();
  let current: EngineUnderTest | undefined;
  beforeEach(async () => {
    current = await makeEngine();
    context.engine = current.engine;
    context.instanceId = current.instanceId;
    context.t0 = Date.now();
  });
  afterEach(async () => {
    await current?.dispose();
    current = undefined;
  });
  return context;
}

export function roomRecord(t0: number, overrides: Partial<RoomRecord> = {}): RoomRecord {
  return {
    id: newId(),
    name: 'general',
    topic: null,
    visibility: 'public',
    passwordHash: null,
    maxUsers: 20,
    ownerId: newId(),
    createdAt: t0,
    expiresAt: t0 + 10 * MINUTE,
    ...overrides,
  };
}

export function userRef(username: string, kind: UserKind = 'guest'): UserRef {
  return { id: newId(), username, kind };
}

export function draft(author: UserRef, sentAt: number, overrides: Partial<MessageDraft> = {}): MessageDraft {
  return {
    id: newId(),
    userId: author.id,
    username: author.username,
    kind: 'user',
    content: 'hello',
    sentAt,
    ...overrides,
  };
}

export function count<T>(values: T[], predicate: (value: T) => boolean): number {
  return values.filter(predicate).length;
}
