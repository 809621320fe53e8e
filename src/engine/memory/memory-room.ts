import { randomBytes } from 'node:crypto';
import type { RoomRecord, RoomState, UserRef } from '../engine.types.js';
import { MessageLog } from './message-log.js';

interface Seat {
  user: UserRef;
  /** The user's sockets in the room (of this engine's instance): usually one, at most the per-user cap. */
  sockets: string[];
}

/** Everything the memory engine keeps about one room. */
export class MemoryRoom {
  readonly epoch = randomBytes(8).toString('hex');
  lastSeq = 0;
  /** The room's messages, oldest first, trimmed to the history size (kept off the heap). */
  readonly history: MessageLog;
  readonly seats = new Map<string, Seat>();
  readonly grants = new Set<string>();
  /** Every user who ever took a seat. */
  readonly participants = new Set<string>();
  lastActivityAt: number;

  constructor(readonly record: RoomRecord) {
    this.lastActivityAt = record.createdAt;
    this.history = new MessageLog(record.id);
  }

  state(): RoomState {
    return { ...this.record, memberCount: this.seats.size, epoch: this.epoch, lastSeq: this.lastSeq };
  }
}
