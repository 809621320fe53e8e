import { newId } from '../../../src/common/ids.js';
import type { HistoryQuery, MessageRecord } from '../../../src/engine/engine.types.js';
import { count, draft, MINUTE, roomRecord, userRef, type EngineContext } from './fixtures.js';

const HISTORY = 1000;

/** appendMessage, getMessages, firstSeq, deleteMessage. */
export function describeHistory(ctx: EngineContext): void {
  const ada = userRef('ada');
  const bob = userRef('bob');

  async function room(): Promise<string> {
    const record = roomRecord(ctx.t0);
    await ctx.engine.createRoom(record);
    return record.id;
  }

  /** Appends `n` messages by ada and returns them as stored. */
  async function fill(roomId: string, n: number, historySize = HISTORY): Promise<MessageRecord[]> {
    const stored: MessageRecord[] = [];
    for (let i = 1; i <= n; i++) {
      const result = await ctx.engine.appendMessage(roomId, draft(ada, ctx.t0 + i, { content: `m${i}` }), historySize);
      if (result.status !== 'appended') {
        throw new Error(`append ${i} was ${result.status}`);
      }
      stored.push(result.message);
    }
    return stored;
  }

  const seqs = (messages: MessageRecord[]): number[] => messages.map((message) => message.seq);

  describe('appendMessage with a quota', () => {
    const quota = (key: string) => ({ key, limit: 2, windowMs: 1000, hitId: newId() });

    it('appends up to the limit in the window, then refuses without taking a seq', async () => {
      const roomId = await room();
      const send = (at: number) => ctx.engine.appendMessage(roomId, draft(ada, ctx.t0 + at), HISTORY, quota('q1'));
      expect(await send(0)).toMatchObject({ status: 'appended', message: { seq: 1 } });
      expect(await send(100)).toMatchObject({ status: 'appended', message: { seq: 2 } });
      expect(await send(300)).toEqual({ status: 'rate-limited', retryAfterMs: 700 });
      expect(seqs(await ctx.engine.getMessages(roomId, { limit: 10 }))).toEqual([1, 2]);
      // Once the first send has left the window, the next one gets the next seq: no hole.
      expect(await send(1000)).toMatchObject({ status: 'appended', message: { seq: 3 } });
    });

    it('counts in the same window as rateLimits.hit under the same key', async () => {
      const roomId = await room();
      await ctx.engine.rateLimits.hit('q2', 2, 1000, ctx.t0, newId());
      expect(await ctx.engine.appendMessage(roomId, draft(ada, ctx.t0 + 1), HISTORY, quota('q2'))).toMatchObject({
        status: 'appended',
      });
      expect(await ctx.engine.rateLimits.hit('q2', 2, 1000, ctx.t0 + 2, newId())).toMatchObject({ allowed: false });
      expect(await ctx.engine.appendMessage(roomId, draft(bob, ctx.t0 + 3), HISTORY, quota('q3'))).toMatchObject({
        status: 'appended',
        message: { seq: 2 },
      });
    });
  });

  describe('appendMessage', () => {
    it('gives seq 1, 2, 3 … and stores the draft as given', async () => {
      const roomId = await room();
      const first = draft(ada, ctx.t0, { clientMsgId: 'c1', content: 'hi' });
      expect(await ctx.engine.appendMessage(roomId, first, HISTORY)).toEqual({
        status: 'appended',
        message: { ...first, roomId, seq: 1 },
      });
      const system = draft(bob, ctx.t0 + 1, { kind: 'system', content: 'notice' });
      expect(await ctx.engine.appendMessage(roomId, system, HISTORY)).toEqual({
        status: 'appended',
        message: { ...system, roomId, seq: 2 },
      });
      const third = await ctx.engine.appendMessage(roomId, draft(bob, ctx.t0 + 2), HISTORY);
      expect(third).toMatchObject({ status: 'appended', message: { seq: 3 } });
      expect(await ctx.engine.getMessages(roomId, { limit: 10 })).toEqual([
        { ...first, roomId, seq: 1 },
        { ...system, roomId, seq: 2 },
        third.status === 'appended' ? third.message : null,
      ]);
      expect((await ctx.engine.getRoom(roomId, ctx.t0))?.lastSeq).toBe(3);
    });

    it('numbers each room on its own', async () => {
      const [one, two] = [await room(), await room()];
      await fill(one, 3);
      expect(seqs(await fill(two, 2))).toEqual([1, 2]);
    });

    it('gives concurrent appends distinct consecutive seqs', async () => {
      const roomId = await room();
      const drafts = Array.from({ length: 40 }, (_, i) => draft(i % 2 ? ada : bob, ctx.t0, { content: `m${i}` }));
      const results = await Promise.all(drafts.map((d) => ctx.engine.appendMessage(roomId, d, HISTORY)));
      const assigned = results.map((result) => (result.status === 'appended' ? result.message.seq : -1));
      expect([...assigned].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      const stored = await ctx.engine.getMessages(roomId, { limit: 100 });
      expect(seqs(stored)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      for (const message of stored) {
        expect(message.id).toBe(drafts[assigned.indexOf(message.seq)].id);
      }
    });

    it('returns the original message for a clientMsgId the same user already used in the room', async () => {
      const roomId = await room();
      const original = draft(ada, ctx.t0, { clientMsgId: 'c1', content: 'first try' });
      await ctx.engine.appendMessage(roomId, original, HISTORY);
      await fill(roomId, 1);
      const retry = draft(ada, ctx.t0 + 5, { clientMsgId: 'c1', content: 'second try' });
      expect(await ctx.engine.appendMessage(roomId, retry, HISTORY)).toEqual({
        status: 'duplicate',
        message: { ...original, roomId, seq: 1 },
      });
      expect((await ctx.engine.getRoom(roomId, ctx.t0))?.lastSeq).toBe(2);
      expect(await ctx.engine.getMessages(roomId, { limit: 10 })).toHaveLength(2);
    });

    it('scopes clientMsgId to the user and the room', async () => {
      const [roomId, otherRoom] = [await room(), await room()];
      await ctx.engine.appendMessage(roomId, draft(ada, ctx.t0, { clientMsgId: 'c1' }), HISTORY);
      const byBob = await ctx.engine.appendMessage(roomId, draft(bob, ctx.t0, { clientMsgId: 'c1' }), HISTORY);
      expect(byBob).toMatchObject({ status: 'appended', message: { seq: 2, userId: bob.id } });
      const elsewhere = await ctx.engine.appendMessage(otherRoom, draft(ada, ctx.t0, { clientMsgId: 'c1' }), HISTORY);
      expect(elsewhere).toMatchObject({ status: 'appended', message: { seq: 1, roomId: otherRoom } });
    });

    it('never dedupes messages without a clientMsgId', async () => {
      const roomId = await room();
      const results = [
        await ctx.engine.appendMessage(roomId, draft(ada, ctx.t0, { content: 'same' }), HISTORY),
        await ctx.engine.appendMessage(roomId, draft(ada, ctx.t0, { content: 'same' }), HISTORY),
      ];
      expect(results.map((result) => result.status)).toEqual(['appended', 'appended']);
    });

    it('appends a clientMsgId once however many retries race', async () => {
      const roomId = await room();
      const retries = Array.from({ length: 10 }, () => draft(ada, ctx.t0, { clientMsgId: 'c1' }));
      const results = await Promise.all(retries.map((d) => ctx.engine.appendMessage(roomId, d, HISTORY)));
      expect(count(results, (result) => result.status === 'appended')).toBe(1);
      expect(count(results, (result) => result.status === 'duplicate')).toBe(9);
      const ids = new Set(results.map((result) => (result.status === 'missing' ? null : result.message.id)));
      expect(ids.size).toBe(1);
      expect(seqs(await ctx.engine.getMessages(roomId, { limit: 10 }))).toEqual([1]);
    });

    it('trims history to historySize and forgets the clientMsgIds of trimmed messages', async () => {
      const roomId = await room();
      const drafts = [1, 2, 3, 4, 5].map((i) => draft(ada, ctx.t0 + i, { clientMsgId: `c${i}` }));
      for (const d of drafts) {
        await ctx.engine.appendMessage(roomId, d, 3);
      }
      expect(seqs(await ctx.engine.getMessages(roomId, { limit: 10 }))).toEqual([3, 4, 5]);
      expect(await ctx.engine.firstSeq(roomId)).toBe(3);
      expect((await ctx.engine.getRoom(roomId, ctx.t0))?.lastSeq).toBe(5);

      const kept = await ctx.engine.appendMessage(roomId, draft(ada, ctx.t0, { clientMsgId: 'c4' }), 3);
      expect(kept).toEqual({ status: 'duplicate', message: { ...drafts[3], roomId, seq: 4 } });
      const trimmed = await ctx.engine.appendMessage(roomId, draft(ada, ctx.t0, { clientMsgId: 'c1' }), 3);
      expect(trimmed).toMatchObject({ status: 'appended', message: { seq: 6, clientMsgId: 'c1' } });
      expect(seqs(await ctx.engine.getMessages(roomId, { limit: 10 }))).toEqual([4, 5, 6]);
    });

    it('answers missing for an unknown or deleted room and takes no seq', async () => {
      expect(await ctx.engine.appendMessage(newId(), draft(ada, ctx.t0), HISTORY)).toEqual({ status: 'missing' });
      const roomId = await room();
      await ctx.engine.deleteRoom(roomId);
      expect(await ctx.engine.appendMessage(roomId, draft(ada, ctx.t0), HISTORY)).toEqual({ status: 'missing' });
      expect(await ctx.engine.getMessages(roomId, { limit: 10 })).toEqual([]);
    });
    it('answers missing once the room has expired at sentAt, even before it is deleted', async () => {
      const record = roomRecord(ctx.t0, { expiresAt: ctx.t0 + MINUTE });
      await ctx.engine.createRoom(record);
      const late = await ctx.engine.appendMessage(record.id, draft(ada, ctx.t0 + MINUTE), HISTORY);
      expect(late).toEqual({ status: 'missing' });
      const inTime = await ctx.engine.appendMessage(record.id, draft(ada, ctx.t0 + MINUTE - 1), HISTORY);
      expect(inTime).toMatchObject({ status: 'appended', message: { seq: 1 } });
    });
  });

  describe('subscribeMessages', () => {
    it('hands over every appended message once, per room in seq order; never a duplicate', async () => {
      const [one, two] = [await room(), await room()];
      const heard: MessageRecord[] = [];
      let check = (): void => undefined;
      await ctx.engine.subscribeMessages((message) => {
        heard.push(message);
        check();
      });
      const heardSoMany = (n: number): Promise<void> =>
        new Promise((resolve) => {
          check = () => (heard.length >= n ? resolve() : undefined);
          check();
        });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          ctx.engine.appendMessage(i % 2 ? one : two, draft(ada, ctx.t0 + i, { clientMsgId: `c${i}` }), HISTORY),
        ),
      );
      const retry = await ctx.engine.appendMessage(one, draft(ada, ctx.t0 + 20, { clientMsgId: 'c1' }), HISTORY);
      expect(retry.status).toBe('duplicate');
      results.push(await ctx.engine.appendMessage(two, draft(bob, ctx.t0 + 21), HISTORY));
      // The last message was published after the retry: once it is heard, a duplicate would be too.
      await heardSoMany(11);
      expect(seqs(heard.filter((m) => m.roomId === one))).toEqual([1, 2, 3, 4, 5]);
      expect(seqs(heard.filter((m) => m.roomId === two))).toEqual([1, 2, 3, 4, 5, 6]);
      const stored = results.map((r) => (r.status === 'appended' ? r.message : null));
      expect(heard).toHaveLength(11);
      expect(new Set(heard.map((m) => JSON.stringify(m)))).toEqual(new Set(stored.map((m) => JSON.stringify(m))));
    });
  });

  describe('getMessages', () => {
    const cases: [string, HistoryQuery, number[]][] = [
      ['limit alone gives the latest messages', { limit: 3 }, [8, 9, 10]],
      ['a limit above the history size gives it all', { limit: 50 }, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
      ['before gives the latest messages below it', { before: 5, limit: 3 }, [2, 3, 4]],
      ['before near the start gives what there is', { before: 3, limit: 10 }, [1, 2]],
      ['before the first seq gives nothing', { before: 1, limit: 10 }, []],
      ['after gives the first messages above it', { after: 5, limit: 3 }, [6, 7, 8]],
      ['after near the end gives what there is', { after: 8, limit: 10 }, [9, 10]],
      ['after the last seq gives nothing', { after: 10, limit: 10 }, []],
      ['after 0 gives from the first message', { after: 0, limit: 2 }, [1, 2]],
      ['after and before give the window between them', { after: 2, before: 6, limit: 10 }, [3, 4, 5]],
    ];

    it.each(cases)('%s', async (_name, query, expected) => {
      const roomId = await room();
      await fill(roomId, 10);
      const messages = await ctx.engine.getMessages(roomId, query);
      expect(seqs(messages)).toEqual(expected);
      expect(messages.map((message) => message.content)).toEqual(expected.map((seq) => `m${seq}`));
    });

    it('skips deleted messages and still counts limit in messages', async () => {
      const roomId = await room();
      const stored = await fill(roomId, 8);
      await ctx.engine.deleteMessage(roomId, stored[4].id);
      expect(seqs(await ctx.engine.getMessages(roomId, { before: 7, limit: 2 }))).toEqual([4, 6]);
      expect(seqs(await ctx.engine.getMessages(roomId, { after: 3, limit: 2 }))).toEqual([4, 6]);
    });

    it('gives nothing for an empty or unknown room', async () => {
      expect(await ctx.engine.getMessages(await room(), { limit: 10 })).toEqual([]);
      expect(await ctx.engine.getMessages(newId(), { limit: 10 })).toEqual([]);
    });
  });

  describe('firstSeq', () => {
    it('is null until the first message, then the smallest seq still held', async () => {
      const roomId = await room();
      expect(await ctx.engine.firstSeq(roomId)).toBeNull();
      const stored = await fill(roomId, 3);
      expect(await ctx.engine.firstSeq(roomId)).toBe(1);
      await ctx.engine.deleteMessage(roomId, stored[0].id);
      expect(await ctx.engine.firstSeq(roomId)).toBe(2);
      expect(await ctx.engine.firstSeq(newId())).toBeNull();
    });
  });

  describe('deleteMessage', () => {
    it('removes the message once and keeps the numbering going', async () => {
      const roomId = await room();
      const stored = await fill(roomId, 3);
      expect(await ctx.engine.deleteMessage(roomId, stored[2].id)).toEqual(stored[2]);
      expect(await ctx.engine.deleteMessage(roomId, stored[2].id)).toBeNull();
      expect(seqs(await ctx.engine.getMessages(roomId, { limit: 10 }))).toEqual([1, 2]);
      expect((await ctx.engine.getRoom(roomId, ctx.t0))?.lastSeq).toBe(3);
      const next = await ctx.engine.appendMessage(roomId, draft(ada, ctx.t0), HISTORY);
      expect(next).toMatchObject({ status: 'appended', message: { seq: 4 } });
    });

    it('gives null for an unknown message or room', async () => {
      const roomId = await room();
      const [message] = await fill(roomId, 1);
      expect(await ctx.engine.deleteMessage(roomId, newId())).toBeNull();
      expect(await ctx.engine.deleteMessage(newId(), message.id)).toBeNull();
      expect(await ctx.engine.getMessages(roomId, { limit: 10 })).toEqual([message]);
    });
  });
}
