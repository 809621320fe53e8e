import { randomBytes } from 'node:crypto';

/** Keys are kept to 30 bits: a small integer in V8 on every build, so a key and its seq are no objects. */
const KEY_MASK = 0x3fffffff;
/** FNV-1a's offset basis, mixed with a random seed per process: which ids share a key cannot be worked out beforehand. */
const FNV_OFFSET = (0x811c9dc5 ^ randomBytes(4).readUInt32LE(0)) >>> 0;
const FNV_PRIME = 0x01000193;

/**
 * A room's clientMsgIds → seqs, for answering a retried `message:send` with its original. Keyed by
 * a hash of (userId, clientMsgId), so that the heap holds two small integers per message and not
 * the clientMsgId's string: history keeps 1,000 messages per room, each with its clientMsgId. A
 * hash can be shared, so a key gives candidates, and the caller checks each one against the
 * message it stored (a sender who could choose ids sharing a key would only slow down its own
 * retries: the hash is seeded per process, and a user's sends are rate limited).
 */
export class ClientMsgIdIndex {
  private readonly seqs = new Map<number, number | number[]>();

  /** FNV-1a over the user id, a separator and the clientMsgId (two pairs sharing a key only add a candidate). */
  static keyOf(userId: string, clientMsgId: string): number {
    let hash = FNV_OFFSET;
    for (let i = 0; i < userId.length; i++) {
      hash = Math.imul(hash ^ userId.charCodeAt(i), FNV_PRIME);
    }
    hash = Math.imul(hash ^ 0xffff, FNV_PRIME);
    for (let i = 0; i < clientMsgId.length; i++) {
      hash = Math.imul(hash ^ clientMsgId.charCodeAt(i), FNV_PRIME);
    }
    return (hash >>> 0) & KEY_MASK;
  }

  add(key: number, seq: number): void {
    const held = this.seqs.get(key);
    if (held === undefined) {
      this.seqs.set(key, seq);
    } else if (typeof held === 'number') {
      this.seqs.set(key, [held, seq]);
    } else {
      held.push(seq);
    }
  }

  delete(key: number, seq: number): void {
    const held = this.seqs.get(key);
    if (held === seq) {
      this.seqs.delete(key);
    } else if (Array.isArray(held) && held.includes(seq)) {
      const rest = held.filter((s) => s !== seq);
      if (rest.length === 0) {
        this.seqs.delete(key);
      } else {
        this.seqs.set(key, rest.length === 1 ? rest[0] : rest);
      }
    }
  }

  /** The seqs stored under the key: the message looked for is among them if it is held. */
  candidates(key: number): readonly number[] {
    const held = this.seqs.get(key);
    return held === undefined ? [] : typeof held === 'number' ? [held] : held;
  }
}
