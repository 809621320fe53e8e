import type { MessageKind, MessageRecord } from '../engine.types.js';
import { ClientMsgIdIndex } from './client-msg-id-index.js';

/** A chunk is sized after what the room already holds, between these bounds (a larger record gets its own). */
const MIN_CHUNK_BYTES = 512;
const MAX_CHUNK_BYTES = 16 * 1024;

// One index entry per message: these fields, side by side in a Float64Array.
const SEQ = 0;
const CHUNK = 1;
const OFFSET = 2;
const LENGTH = 3;
/** ClientMsgIdIndex's key of the message, or NO_KEY. */
const KEY = 4;
const STRIDE = 5;
const NO_KEY = -1;
const FIRST_CAPACITY = 16;

/** What is written per message: the room and the seq are known without it. */
type Encoded = [id: string, userId: string, username: string, kind: MessageKind, content: string, sentAt: number];
type EncodedWithClientId = [...Encoded, clientMsgId: string];

/**
 * One room's history in the memory engine, kept off the JavaScript heap: each message is written as
 * JSON into Buffer chunks, its seq and place into a Float64Array, and the heap holds only a hash of
 * its clientMsgId (ClientMsgIdIndex). History is what a busy instance holds most of (1,000 messages
 * per room by default). As objects, every message stayed in V8's old generation with five or six
 * objects of its own, and each full collection marked and moved all of them: a million messages in
 * 1,000 rooms took 410 MiB of heap and a full collection 452 ms; kept this way, 30 MiB of heap and
 * 229 MiB outside it, and 7.5 ms (`node --expose-gc bench/history-heap.mjs --messages=1000000`).
 * An append costs about what it did (`history-heap.mjs` times it: 5.3–5.5 µs against 4.7–5.2).
 * Reading a message decodes it again: a join's backlog, a history page, a retried send's original.
 *
 * Chunks are released from the front once every message in them has been trimmed. A deleted
 * message's bytes stay in its chunk; once the chunks hold more than twice the messages' bytes (and
 * two chunks), the messages held are copied into fresh chunks, so that deletes keeping pace with
 * sends cannot grow a room's memory without bound.
 */
export class MessageLog {
  private readonly chunks: Buffer[] = [];
  /** Chunks released so far: chunk number n is chunks[n - released]. */
  private released = 0;
  /** Bytes written into the last chunk. */
  private used = 0;
  /** Bytes of the messages held (sizes the next chunk). */
  private bytesHeld = 0;
  /** The index, ascending by seq: entries [head, end) are the messages held. */
  private index = new Float64Array(FIRST_CAPACITY * STRIDE);
  private head = 0;
  private end = 0;
  private readonly clientMsgIds = new ClientMsgIdIndex();

  constructor(private readonly roomId: string) {}

  get length(): number {
    return this.end - this.head;
  }

  /** Bytes of the chunks kept: the messages held, deleted ones not yet repacked, the unused ends of chunks. */
  get reservedBytes(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  /** The smallest seq held, or null when empty. */
  firstSeq(): number | null {
    return this.length > 0 ? this.field(this.head, SEQ) : null;
  }

  /** Appends a message (its seq above every one held), then trims the oldest down to `historySize`. */
  append(message: MessageRecord, historySize: number): void {
    const { clientMsgId } = message;
    const fields: Encoded = [
      message.id,
      message.userId,
      message.username,
      message.kind,
      message.content,
      message.sentAt,
    ];
    const json = JSON.stringify(
      clientMsgId === undefined ? fields : ([...fields, clientMsgId] satisfies EncodedWithClientId),
    );
    const length = Buffer.byteLength(json);
    const chunk = this.room(length);
    chunk.write(json, this.used);
    const key = clientMsgId === undefined ? NO_KEY : ClientMsgIdIndex.keyOf(message.userId, clientMsgId);
    if (key !== NO_KEY) {
      this.clientMsgIds.add(key, message.seq);
    }
    this.reserveEntry();
    const at = this.end * STRIDE;
    this.index[at + SEQ] = message.seq;
    this.index[at + CHUNK] = this.released + this.chunks.length - 1;
    this.index[at + OFFSET] = this.used;
    this.index[at + LENGTH] = length;
    this.index[at + KEY] = key;
    this.end += 1;
    this.used += length;
    this.bytesHeld += length;
    while (this.length > historySize) {
      this.forget(this.head);
      this.head += 1;
    }
    this.releaseChunks();
  }

  /** The message at `index` (0 is the oldest held), decoded: a fresh object. */
  at(index: number): MessageRecord {
    if (index < 0 || index >= this.length) {
      throw new RangeError(`No message at ${index} (${this.length} held)`);
    }
    const entry = this.head + index;
    const decoded = JSON.parse(this.stored(entry).toString('utf8')) as Encoded | EncodedWithClientId;
    const [id, userId, username, kind, content, sentAt] = decoded;
    return {
      id,
      roomId: this.roomId,
      seq: this.field(entry, SEQ),
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
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.field(mid, SEQ) < seq) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo - this.head;
  }

  /** The message held that the user sent with this clientMsgId, or null. */
  findByClientMsgId(userId: string, clientMsgId: string): MessageRecord | null {
    for (const seq of this.clientMsgIds.candidates(ClientMsgIdIndex.keyOf(userId, clientMsgId))) {
      const index = this.indexOfSeq(seq);
      const message = index < this.length ? this.at(index) : null;
      if (message?.seq === seq && message.userId === userId && message.clientMsgId === clientMsgId) {
        return message;
      }
    }
    return null;
  }

  /**
   * Removes the message with this id; returns it, or null when none is held. Looks from the newest
   * (what moderators delete), comparing the stored bytes that start a record with this id before
   * decoding anything.
   */
  remove(id: string): MessageRecord | null {
    const start = Buffer.from(`[${JSON.stringify(id)},`);
    for (let entry = this.end - 1; entry >= this.head; entry--) {
      if (!this.stored(entry).subarray(0, start.length).equals(start)) {
        continue;
      }
      const message = this.at(entry - this.head);
      this.forget(entry);
      this.index.copyWithin(entry * STRIDE, (entry + 1) * STRIDE, this.end * STRIDE);
      this.end -= 1;
      this.releaseChunks();
      if (this.reservedBytes > 2 * (this.bytesHeld + MAX_CHUNK_BYTES)) {
        this.repack();
      }
      return message;
    }
    return null;
  }

  private field(entry: number, field: number): number {
    return this.index[entry * STRIDE + field];
  }

  /** The stored bytes of an index entry (a view into its chunk). */
  private stored(entry: number): Buffer {
    const chunk = this.chunks[this.field(entry, CHUNK) - this.released];
    const offset = this.field(entry, OFFSET);
    return chunk.subarray(offset, offset + this.field(entry, LENGTH));
  }

  /** Room for one more index entry at `end`: the entries held move to the front, or the index doubles. */
  private reserveEntry(): void {
    const capacity = this.index.length / STRIDE;
    if (this.end < capacity) {
      return;
    }
    if (this.length <= capacity / 2) {
      this.index.copyWithin(0, this.head * STRIDE, this.end * STRIDE);
    } else {
      const grown = new Float64Array(capacity * 2 * STRIDE);
      grown.set(this.index.subarray(this.head * STRIDE, this.end * STRIDE));
      this.index = grown;
    }
    this.end -= this.head;
    this.head = 0;
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

  /** Forgets the clientMsgId and the bytes of an index entry about to go. */
  private forget(entry: number): void {
    this.bytesHeld -= this.field(entry, LENGTH);
    const key = this.field(entry, KEY);
    if (key !== NO_KEY) {
      this.clientMsgIds.delete(key, this.field(entry, SEQ));
    }
  }

  /** Copies the messages held into fresh chunks, leaving the bytes of deleted ones behind. */
  private repack(): void {
    const held: Buffer[] = [];
    for (let entry = this.head; entry < this.end; entry++) {
      held.push(this.stored(entry));
    }
    this.released += this.chunks.length;
    this.chunks.length = 0;
    held.forEach((bytes, i) => {
      const chunk = this.room(bytes.length);
      bytes.copy(chunk, this.used);
      this.index[(this.head + i) * STRIDE + CHUNK] = this.released + this.chunks.length - 1;
      this.index[(this.head + i) * STRIDE + OFFSET] = this.used;
      this.used += bytes.length;
    });
  }

  /** Releases the chunks before the oldest message held (all of them when none is). */
  private releaseChunks(): void {
    if (this.length === 0) {
      this.released += this.chunks.length;
      this.chunks.length = 0;
      this.used = 0;
      this.bytesHeld = 0;
      return;
    }
    const oldest = this.field(this.head, CHUNK);
    if (oldest > this.released) {
      this.chunks.splice(0, oldest - this.released);
      this.released = oldest;
    }
  }
}
