import { seededRandom, type Random } from '../../../test/utils/seeded-random.js';
import type { MessageRecord } from '../engine.types.js';
import { ClientMsgIdIndex } from './client-msg-id-index.js';
import { MessageLog } from './message-log.js';

const ROOM = 'room-1';
const USERS = ['u1', 'u2', 'u3'];
/**
 * Contents that JSON and UTF-8 must carry unchanged: quotes, escapes, control, multi-byte and astral
 * characters, and a lone surrogate (JSON.stringify escapes it, so UTF-8 cannot replace it).
 */
const CONTENTS = [
  'hello',
  'say "hi"\\n',
  'line\nbreak\ttab',
  'żółć ☕',
  '😀 emoji 👍🏽',
  '\u0000\u001f',
  '\ud800 lone',
  '',
];

let seq = 0;
function message(random: Random, overrides: Partial<MessageRecord> = {}): MessageRecord {
  seq += random.int(1, 3); // seqs ascend with holes, as after deletes
  const userId = random.pick(USERS);
  return {
    id: `m${seq}`,
    roomId: ROOM,
    seq,
    userId,
    username: `name-${userId}`,
    kind: random.chance(0.1) ? 'system' : 'user',
    content: random.chance(0.05) ? 'x'.repeat(random.int(17_000, 40_000)) : random.pick(CONTENTS) + seq,
    sentAt: 1_790_000_000_000 + seq * 7,
    clientMsgId: random.chance(0.6) ? `c${random.int(1, 40)}` : undefined,
    ...overrides,
  };
}

/** A flat array with the same rules: what MessageLog must behave like. */
class Model {
  messages: MessageRecord[] = [];

  duplicateOf(userId: string, clientMsgId: string): MessageRecord | null {
    return this.messages.find((m) => m.userId === userId && m.clientMsgId === clientMsgId) ?? null;
  }

  append(m: MessageRecord, historySize: number): void {
    this.messages.push(m);
    this.messages = this.messages.slice(Math.max(0, this.messages.length - historySize));
  }
}

describe('MessageLog', () => {
  beforeEach(() => {
    seq = 0;
  });

  it('gives back every message as appended, oldest first, with its room and seq', () => {
    const log = new MessageLog(ROOM);
    const random = seededRandom(1);
    const appended = Array.from({ length: 50 }, () => message(random));
    for (const m of appended) {
      log.append(m, 1000);
    }
    expect(log.length).toBe(50);
    expect(log.slice(0, log.length)).toEqual(appended);
    expect(log.firstSeq()).toBe(appended[0].seq);
    expect(log.at(3)).not.toBe(log.at(3)); // a fresh object each time: callers cannot change history
  });

  it('keeps the newest historySize messages and forgets the clientMsgIds of the trimmed ones', () => {
    const log = new MessageLog(ROOM);
    const random = seededRandom(2);
    const first = message(random, { userId: 'u1', clientMsgId: 'first' });
    log.append(first, 3);
    expect(log.findByClientMsgId('u1', 'first')).toEqual(first);
    expect(log.findByClientMsgId('u2', 'first')).toBeNull();
    const rest = [1, 2, 3].map(() => message(random, { clientMsgId: undefined }));
    for (const m of rest) {
      log.append(m, 3);
    }
    expect(log.slice(0, 10)).toEqual(rest);
    expect(log.findByClientMsgId('u1', 'first')).toBeNull();
  });

  it('removes a message by id once, and finds seqs around the hole', () => {
    const log = new MessageLog(ROOM);
    const random = seededRandom(3);
    const appended = Array.from({ length: 5 }, () => message(random, { clientMsgId: undefined }));
    for (const m of appended) {
      log.append(m, 100);
    }
    expect(log.remove(appended[2].id)).toEqual(appended[2]);
    expect(log.remove(appended[2].id)).toBeNull();
    expect(log.slice(0, 10)).toEqual([appended[0], appended[1], appended[3], appended[4]]);
    expect(log.indexOfSeq(appended[2].seq)).toBe(2);
    expect(log.indexOfSeq(appended[4].seq + 1)).toBe(4);
  });

  it('releases its chunks as messages are trimmed: what it reserves follows what it holds', () => {
    const log = new MessageLog(ROOM);
    const random = seededRandom(4);
    for (let i = 0; i < 20_000; i++) {
      log.append(message(random, { content: `message number ${i}`, clientMsgId: `c${i}` }), 100);
    }
    expect(log.length).toBe(100);
    // 100 messages of about 60 bytes: at most a chunk they fill, a partly dead first and a partly empty last.
    expect(log.reservedBytes).toBeLessThan(3 * 16 * 1024);
    for (let i = 0; i < 100; i++) {
      log.remove(log.at(0).id);
    }
    expect(log.length).toBe(0);
    expect(log.reservedBytes).toBe(0);
    expect(log.firstSeq()).toBeNull();
  });

  it('stays bounded when deletes keep pace with sends: the messages held are repacked', () => {
    const log = new MessageLog(ROOM);
    const random = seededRandom(6);
    const oldest = message(random, { clientMsgId: 'kept' });
    log.append(oldest, 1000);
    for (let i = 0; i < 5_000; i++) {
      const spam = message(random, { content: `spam ${'x'.repeat(200)} ${i}`, clientMsgId: `s${i}` });
      log.append(spam, 1000);
      expect(log.remove(spam.id)).toEqual(spam);
    }
    expect(log.slice(0, 10)).toEqual([oldest]);
    expect(log.findByClientMsgId(oldest.userId, 'kept')).toEqual(oldest);
    expect(log.reservedBytes).toBeLessThan(4 * 16 * 1024);
    const next = message(random);
    log.append(next, 1000);
    expect(log.slice(0, 10)).toEqual([oldest, next]);
  });

  it('behaves like a trimmed array under random appends, trims, deletes and lookups', () => {
    for (const seed of [11, 12, 13, 14]) {
      seq = 0;
      const random = seededRandom(seed);
      const log = new MessageLog(ROOM);
      const model = new Model();
      for (let step = 0; step < 3000; step++) {
        const historySize = random.pick([5, 50, 2000]);
        if (random.chance(0.08) && model.messages.length > 0) {
          const victim = random.pick(model.messages);
          expect(log.remove(victim.id)).toEqual(victim);
          model.messages = model.messages.filter((m) => m !== victim);
          continue;
        }
        const m = message(random);
        if (m.clientMsgId !== undefined && model.duplicateOf(m.userId, m.clientMsgId)) {
          // The engine answers a duplicate without appending; the log must find the same original.
          expect(log.findByClientMsgId(m.userId, m.clientMsgId)).toEqual(model.duplicateOf(m.userId, m.clientMsgId));
          continue;
        }
        log.append(m, historySize);
        model.append(m, historySize);
        expect(log.length).toBe(model.messages.length);
        expect(log.firstSeq()).toBe(model.messages[0]?.seq ?? null);
      }
      expect(log.slice(0, log.length)).toEqual(model.messages);
      for (const userId of USERS) {
        for (let c = 1; c <= 40; c++) {
          expect(log.findByClientMsgId(userId, `c${c}`)).toEqual(model.duplicateOf(userId, `c${c}`));
        }
      }
      for (let probe = 0; probe <= seq + 1; probe += 7) {
        const expected = model.messages.findIndex((m) => m.seq >= probe);
        expect(log.indexOfSeq(probe)).toBe(expected === -1 ? model.messages.length : expected);
      }
    }
  });
});

describe('MessageLog with clientMsgIds that share a key', () => {
  /** Two clientMsgIds of one user with the same ClientMsgIdIndex key (found by search: keys have 30 bits). */
  function collision(userId: string): [string, string] {
    const seen = new Map<number, string>();
    for (let i = 0; ; i++) {
      const clientMsgId = `retry-${i}`;
      const key = ClientMsgIdIndex.keyOf(userId, clientMsgId);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        return [earlier, clientMsgId];
      }
      seen.set(key, clientMsgId);
    }
  }

  it('tells them apart, and trimming one keeps the other', () => {
    const [a, b] = collision('u1');
    expect(ClientMsgIdIndex.keyOf('u1', a)).toBe(ClientMsgIdIndex.keyOf('u1', b));
    const random = seededRandom(5);
    const log = new MessageLog(ROOM);
    const first = message(random, { userId: 'u1', clientMsgId: a });
    const second = message(random, { userId: 'u1', clientMsgId: b });
    log.append(first, 2);
    expect(log.findByClientMsgId('u1', b)).toBeNull();
    log.append(second, 2);
    expect(log.findByClientMsgId('u1', a)).toEqual(first);
    expect(log.findByClientMsgId('u1', b)).toEqual(second);
    expect(log.findByClientMsgId('u2', a)).toBeNull();
    log.append(message(random, { clientMsgId: undefined }), 2);
    expect(log.findByClientMsgId('u1', a)).toBeNull();
    expect(log.findByClientMsgId('u1', b)).toEqual(second);
    log.remove(second.id);
    expect(log.findByClientMsgId('u1', b)).toBeNull();
  });
});
