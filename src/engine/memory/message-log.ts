import type { MessageKind, MessageRecord } from '../engine.types.js';

/** A chunk is sized after what the room already holds, between these bounds (a larger record gets its own). */
const MIN_CHUNK_BYTES = 512;
const MAX_CHUNK_BYTES = 16 * 1024;
/**
 * Index entries passed over at the front are dropped once they are this many and a quarter of the
 * index: the index stays within a third over what it holds, at a few moves per append.
 */
const COMPACT_ABOVE = 128;

/** What is written per message: the room and the seq are known without it. */
type Encoded = [id: string, userId: string, username: string, kind: MessageKind, content: string, sentAt: number];
type EncodedWithClientId = [...Encoded, clientMsgId: string];

/**
 * One room's history in the memory engine, kept off the JavaScript heap: each message is written as
 * JSON into Buffer chunks, and the heap holds only an index (seq, place, user, clientMsgId) per
 * message. History is what a busy instance holds most of (1,000 messages per room by default). As
 * objects, every message stayed in V8's old generation with five or six objects of its own, and
 * each full collection marked and moved all of them: 300,000 messages in 1,000 rooms took 128 MiB
 * of heap and a full collection 104 ms; written this way, 36 MiB of heap and 66 MiB outside it,
 * and 21 ms (`node --expose-gc bench/history-heap.mjs`). Appending costs the same.
 * Reading a message decodes it again (a join's backlog, a history page, a duplicate's answer).
 *
 * Chunks are released from the front once every message in them has been trimmed; a deleted
 * message's bytes stay until then.
 */
export class MessageLog {
  private readonly chunks: Buffer[] = [];
  /** Chunks released so far: chunk number n is chunks[n - released]. */
  private released = 0;
  /** Bytes written into the last chunk. */
  private used = 0;
  /** Bytes of the messages held (sizes the next chunk). */
  private bytesHeld = 0;
  // The index, one entry per message, ascending by seq; entries before `head` are gone.
  private head = 0;
  private seqs: number[] = [];
  private chunkNumbers: number[] = [];
  private offsets: number[] = [];
  private lengths: number[] = [];
  private userIds: string[] = [];
  private clientMsgIds: Array<string | undefined> = [];
  /** userId → clientMsgId → seq, for the messages held. */
  private readonly idempotency = new Map<string, Map<string, number>>();

  constructor(private readonly roomId: string) {}

  get length(): number {
    return this.seqs.length - this.head;
  }

  /** Bytes of the chunks kept (the messages held, a partly used last chunk, the dead front of the first). */
  get reservedBytes(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  /** The smallest seq held, or null when empty. */
  firstSeq(): number | null {
    return this.length > 0 ? this.seqs[this.head] : null;
  }

  /** Appends a message (its seq above every one held), then trims the oldest down to `historySize`. */
  append(message: MessageRecord, historySize: number): void {
    const fields: Encoded = [
      message.id,
      message.userId,
      message.username,
      message.kind,
      message.content,
      message.sentAt,
    ];
    const json = JSON.stringify(
      message.clientMsgId === undefined ? fields : ([...fields, message.clientMsgId] satisfies EncodedWithClientId),
    );
    const length = Buffer.byteLength(json);
    const chunk = this.room(length);
    chunk.write(json, this.used);
    this.seqs.push(message.seq);
    this.chunkNumbers.push(this.released + this.chunks.length - 1);
    this.offsets.push(this.used);
    this.lengths.push(length);
    this.userIds.push(message.userId);
    this.clientMsgIds.push(message.clientMsgId);
    this.used += length;
    this.bytesHeld += length;
    if (message.clientMsgId !== undefined) {
      let ids = this.idempotency.get(message.userId);
      if (!ids) {
        ids = new Map();
        this.idempotency.set(message.userId, ids);
      }
      ids.set(message.clientMsgId, message.seq);
    }
    while (this.length > historySize) {
      this.forget(this.head);
      this.head += 1;
    }
    this.releaseChunks();
  }

  /** The message at `index` (0 is the oldest held), decoded: a fresh object. */
  at(index: number): MessageRecord {
    const entry = this.head + index;
    const chunk = this.chunks[this.chunkNumbers[entry] - this.released];
    const offset = this.offsets[entry];
    const decoded = JSON.parse(chunk.toString('utf8', offset, offset + this.lengths[entry])) as
      Encoded | EncodedWithClientId;
    const [id, userId, username, kind, content, sentAt] = decoded;
    return {
      id,
      roomId: this.roomId,
      seq: this.seqs[entry],
      userId,
      username,
      kind,
      content,
      sentAt,
      clientMsgId: decoded[6],
    };
  }

  /** The messages at indexes [from, to), decoded. */
  slice(from: number, to: number): MessageRecord[] {
    const messages: MessageRecord[] = [];
    for (let index = Math.max(0, from); index < Math.min(to, this.length); index++) {
      messages.push(this.at(index));
    }
    return messages;
  }

  /** Index of the first message with seq >= `seq` (seqs ascend, possibly with holes). */
  indexOfSeq(seq: number): number {
    let lo = this.head;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid] < seq) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo - this.head;
  }

  /** The message held that the user sent with this clientMsgId, or null. */
  findByClientMsgId(userId: string, clientMsgId: string): MessageRecord | null {
    const seq = this.idempotency.get(userId)?.get(clientMsgId);
    return seq === undefined ? null : this.at(this.indexOfSeq(seq));
  }

  /** Removes the message with this id; returns it, or null when none is held. */
  remove(id: string): MessageRecord | null {
    for (let index = 0; index < this.length; index++) {
      const message = this.at(index);
      if (message.id === id) {
        const entry = this.head + index;
        this.forget(entry);
        for (const column of this.columns()) {
          column.splice(entry, 1);
        }
        this.releaseChunks();
        return message;
      }
    }
    return null;
  }

  /** A chunk with `length` bytes free at `used`: the last one, or a new one. */
  private room(length: number): Buffer {
    const last = this.chunks.at(-1);
    if (last && this.used + length <= last.length) {
      return last;
    }
    const size = Math.max(length, Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, this.bytesHeld)));
    const chunk = Buffer.allocUnsafeSlow(size);
    this.chunks.push(chunk);
    this.used = 0;
    return chunk;
  }

  /** Forgets the idempotency key and the bytes of an index entry about to go. */
  private forget(entry: number): void {
    this.bytesHeld -= this.lengths[entry];
    const clientMsgId = this.clientMsgIds[entry];
    if (clientMsgId === undefined) {
      return;
    }
    const userId = this.userIds[entry];
    const ids = this.idempotency.get(userId);
    ids?.delete(clientMsgId);
    if (ids?.size === 0) {
      this.idempotency.delete(userId);
    }
  }

  /** Releases the chunks before the oldest message held (all of them when none is), and old index entries. */
  private releaseChunks(): void {
    if (this.length === 0) {
      this.released += this.chunks.length;
      this.chunks.length = 0;
      this.used = 0;
      this.bytesHeld = 0;
    } else {
      const oldest = this.chunkNumbers[this.head];
      if (oldest > this.released) {
        this.chunks.splice(0, oldest - this.released);
        this.released = oldest;
      }
    }
    if (this.head > COMPACT_ABOVE && this.head * 4 > this.seqs.length) {
      for (const column of this.columns()) {
        column.splice(0, this.head);
      }
      this.head = 0;
    }
  }

  private columns(): unknown[][] {
    return [this.seqs, this.chunkNumbers, this.offsets, this.lengths, this.userIds, this.clientMsgIds];
  }
}
