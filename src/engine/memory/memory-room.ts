import { randomBytes } from 'node:crypto';
import type { MessageRecord, RoomRecord, RoomState, UserRef } from '../engine.types.js';

interface Seat {
  user: UserRef;
  /** The user's sockets in the room (of this engine's instance): usually one, at most the per-user cap. */
  sockets: string[];
}

/** Everything the memory engine keeps about one room. */
export class MemoryRoom {
  readonly epoch = randomBytes(8).toString('hex');
  lastSeq = 0;
  /** Ascending by seq; trimmed from the front. */
  readonly messages: MessageRecord[] = [];
  /** `${userId}\n${clientMsgId}` → message, for messages still in history. */
  readonly idempotency = new Map<string, MessageRecord>();
  readonly seats = new Map<string, Seat>();
  readonly grants = new Set<string>();
  /** Every user who ever took a seat. */
  readonly participants = new Set<string>();
  lastActivityAt: number;

  constructor(readonly record: RoomRecord) {
    this.lastActivityAt = record.createdAt;
  }

  state(): RoomState {
    return { ...this.record, memberCount: this.seats.size, epoch: this.epoch, lastSeq: this.lastSeq };
  }

  static idempotencyKey(userId: string, clientMsgId: string): string {
    return `${userId}\n${clientMsgId}`;
  }

  append(message: MessageRecord, historySize: number): void {
    this.messages.push(message);
    if (message.clientMsgId !== undefined) {
      this.idempotency.set(MemoryRoom.idempotencyKey(message.userId, message.clientMsgId), message);
    }
    while (this.messages.length > historySize) {
      this.forget(this.messages.shift());
    }
  }

  forget(message: MessageRecord | undefined): void {
    if (message?.clientMsgId !== undefined) {
      this.idempotency.delete(MemoryRoom.idempotencyKey(message.userId, message.clientMsgId));
    }
  }

  /** Index of the first message with seq >= `seq` (messages are sorted, possibly with holes). */
  indexOfSeq(seq: number): number {
    let lo = 0;
    let hi = this.messages.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.messages[mid].seq < seq) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
