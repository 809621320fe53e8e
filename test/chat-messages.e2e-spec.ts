import type { Socket } from 'socket.io-client';
import { createRoom, emitAck, guest, nextEvent, record } from './utils/clients.js';
import { useChatApp } from './utils/harness.js';

type Message = Record<string, any>;

/** API.md §4–§5: message:send, message:new, idempotent retries and room:history. */
describe('/chat messages', () => {
  const t = useChatApp();

  const send = async (socket: Socket, roomId: string, content: unknown, clientMsgId?: string): Promise<Message> => {
    const ack = await emitAck(socket, 'message:send', { roomId, content, clientMsgId });
    expect(ack).toMatchObject({ ok: true });
    return ack.message as Message;
  };
  /** Resolves once every socket received the message with this seq. */
  const allSee = (seq: number, ...targets: Socket[]) =>
    Promise.all(targets.map((s) => nextEvent<Message>(s, 'message:new', (m) => m.seq === seq)));

  /** ada (two tabs) and bob in a fresh room. */
  const chat = async () => {
    const [ada, bob] = await Promise.all([guest(t.url, 'ada'), guest(t.url, 'bob')]);
    const room = await createRoom(t.url, ada.accessToken);
    const [a1, a2, b] = await Promise.all([t.open(ada), t.open(ada), t.open(bob)]);
    for (const socket of [a1, a2, b]) {
      await t.join(socket, room.id);
    }
    return { ada, bob, roomId: room.id as string, a1, a2, b };
  };

  it('acks with the stored message, seq 1, 2, 3, and delivers each once, in order, to every socket', async () => {
    const { ada, roomId, a1, a2, b } = await chat();
    const received = [a1, a2, b].map((s) => record<Message>(s, 'message:new'));
    const first = await emitAck(a1, 'message:send', { roomId, content: 'one', clientMsgId: 'c-1' });
    expect(first).toEqual({
      ok: true,
      message: {
        id: expect.any(String),
        roomId,
        seq: 1,
        userId: ada.user.id,
        username: 'ada',
        kind: 'user',
        content: 'one',
        sentAt: expect.any(String),
        clientMsgId: 'c-1',
      },
    });
    expect((await send(a1, roomId, 'two')).seq).toBe(2);
    expect((await send(a2, roomId, 'three')).seq).toBe(3);
    const last = allSee(4, a1, a2, b);
    expect((await send(b, roomId, 'four')).seq).toBe(4);
    await last;
    for (const list of received) {
      expect(list.map((m) => [m.seq, m.content])).toEqual([
        [1, 'one'],
        [2, 'two'],
        [3, 'three'],
        [4, 'four'],
      ]);
    }
    expect(received[2][0]).toEqual(first.message);
  });

  it('gives concurrent senders distinct gapless seqs and delivers them to everyone in seq order', async () => {
    const { roomId, a1, a2, b } = await chat();
    const received = [a1, a2, b].map((s) => record<Message>(s, 'message:new'));
    const last = allSee(30, a1, a2, b);
    const acks = await Promise.all(
      [a1, a2, b].flatMap((s, i) => Array.from({ length: 10 }, (_, n) => send(s, roomId, `${i}-${n}`))),
    );
    await last;
    const all = Array.from({ length: 30 }, (_, i) => i + 1);
    expect(acks.map((m) => m.seq).sort((x, y) => x - y)).toEqual(all);
    for (const list of received) {
      expect(list.map((m) => m.seq)).toEqual(all);
    }
  });

  it('refuses a non-member with NOT_A_MEMBER and an unknown room with ROOM_NOT_FOUND', async () => {
    const { roomId } = await chat();
    const eve = await t.open(await guest(t.url, 'eve'));
    const outsider = await emitAck(eve, 'message:send', { roomId, content: 'let me in' });
    expect(outsider).toEqual({ ok: false, error: { code: 'NOT_A_MEMBER', message: expect.any(String) } });
    const missing = await emitAck(eve, 'message:send', { roomId: 'no-such-room', content: 'hello?' });
    expect(missing.error?.code).toBe('ROOM_NOT_FOUND');
  });

  it('validates content (1–2000 characters, a string) and a refused message takes no seq', async () => {
    const { roomId, a1, b, a2 } = await chat();
    const received = record<Message>(b, 'message:new');
    expect((await send(a1, roomId, 'first')).seq).toBe(1);
    const eve = await t.open(await guest(t.url, 'eve'));
    expect((await emitAck(eve, 'message:send', { roomId, content: 'nope' })).ok).toBe(false);
    for (const content of ['', '   \n\t', 'x'.repeat(2001), 42, true, null, ['hi'], { text: 'hi' }, undefined]) {
      const ack = await emitAck(a1, 'message:send', { roomId, content });
      expect(ack).toEqual({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: expect.any(String), details: expect.anything() },
      });
    }
    const longest = 'é'.repeat(2000);
    const next = allSee(3, b);
    expect((await send(a2, roomId, 'second')).seq).toBe(2);
    expect((await send(a1, roomId, longest)).seq).toBe(3);
    await next;
    expect(received.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(received[2].content).toBe(longest);
  });

  it('returns the original message for a retried clientMsgId without broadcasting it again', async () => {
    const { bob, roomId, a1, a2, b } = await chat();
    const onB = record<Message>(b, 'message:new');
    const onA2 = record<Message>(a2, 'message:new');
    const original = await send(a1, roomId, 'pay 10€', 'retry-me');
    const retried = await emitAck(a1, 'message:send', { roomId, content: 'pay 10€', clientMsgId: 'retry-me' });
    expect(retried).toEqual({ ok: true, message: original });
    const otherTab = await emitAck(a2, 'message:send', { roomId, content: 'changed', clientMsgId: 'retry-me' });
    expect(otherTab).toEqual({ ok: true, message: original });

    const bobs = await send(b, roomId, 'pay 10€', 'retry-me');
    expect(bobs).toMatchObject({ seq: 2, userId: bob.user.id, clientMsgId: 'retry-me' });
    expect(bobs.id).not.toBe(original.id);
    const later = allSee(3, b, a2);
    expect((await send(a1, roomId, 'later', 'another')).seq).toBe(3);
    await later;
    expect(onB.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(onA2.map((m) => m.seq)).toEqual([1, 2, 3]);
    const history = await emitAck(b, 'room:history', { roomId });
    expect((history.messages as Message[]).map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('pages room:history with before, after and limit, ascending by seq', async () => {
    const { roomId, a1, b } = await chat();
    for (let i = 1; i <= 10; i++) {
      await send(a1, roomId, `m${i}`);
    }
    const seqs = async (query: Record<string, unknown>) => {
      const ack = await emitAck(b, 'room:history', { roomId, ...query });
      expect(ack).toMatchObject({ ok: true, epoch: expect.any(String) });
      return (ack.messages as Message[]).map((m) => m.seq);
    };
    expect(await seqs({})).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await seqs({ limit: 3 })).toEqual([8, 9, 10]);
    expect(await seqs({ before: 5, limit: 2 })).toEqual([3, 4]);
    expect(await seqs({ before: 1 })).toEqual([]);
    expect(await seqs({ after: 7 })).toEqual([8, 9, 10]);
    expect(await seqs({ after: 2, limit: 3 })).toEqual([3, 4, 5]);
    expect(await seqs({ after: 10 })).toEqual([]);
    const { epoch } = await emitAck(b, 'room:history', { roomId, limit: 1 });
    const join = await emitAck(b, 'room:join', { roomId });
    expect(epoch).toBe((join.room as { epoch: string }).epoch);
    const missing = await emitAck(b, 'room:history', { roomId: 'no-such-room' });
    expect(missing.error?.code).toBe('ROOM_NOT_FOUND');
  });

  it('keeps a password room’s history for users who joined with the password', async () => {
    const owner = await guest(t.url, 'owner');
    const room = await createRoom(t.url, owner.accessToken, { password: 'open sesame' });
    const o = await t.open(owner);
    await t.join(o, room.id);
    await send(o, room.id, 'secret');
    const eve = await t.open(await guest(t.url, 'eve'));
    const refused = await emitAck(eve, 'room:history', { roomId: room.id });
    expect(refused.error?.code).toBe('NOT_A_MEMBER');
    await emitAck(eve, 'room:join', { roomId: room.id, password: 'open sesame' });
    await emitAck(eve, 'room:leave', { roomId: room.id });
    const granted = await emitAck(eve, 'room:history', { roomId: room.id });
    expect((granted.messages as Message[]).map((m) => m.content)).toEqual(['secret']);
  });
});
