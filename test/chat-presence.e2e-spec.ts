import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { createRoom, emitAck, guest, nextEvent, record, type AuthBody } from './utils/clients.js';
import { useChatApp } from './utils/harness.js';

/** API.md §4: who sees joins, leaves, typing and renames; several tabs count as one member. */
describe('/chat presence, typing and rename', () => {
  const t = useChatApp();

  /** Sends a message and waits until every listed socket received it. */
  const sendSeen = async (from: Socket, roomId: string, content: string, seenBy: Socket[]): Promise<void> => {
    const seen = seenBy.map((s) => nextEvent(s, 'message:new', (m) => m.content === content));
    expect(await emitAck(from, 'message:send', { roomId, content })).toMatchObject({ ok: true });
    await Promise.all(seen);
  };

  it('counts a user with two sockets as one member: joined on the first, left with the last', async () => {
    const bob = await guest(t.url, 'bob');
    const room = await createRoom(t.url, bob.accessToken);
    const b = await t.open(bob);
    await t.join(b, room.id);
    const joined = record(b, 'room:member-joined');
    const left = record(b, 'room:member-left');
    const ada = await guest(t.url, 'ada');
    const [a1, a2] = await Promise.all([t.open(ada), t.open(ada)]);
    const onA1 = record(a1, 'room:member-joined');
    const onA2 = record(a2, 'room:member-joined');
    const acks = await Promise.all([
      emitAck(a1, 'room:join', { roomId: room.id }),
      emitAck(a2, 'room:join', { roomId: room.id }),
    ]);
    expect(acks.map((a) => (a.room as { memberCount: number }).memberCount)).toEqual([2, 2]);

    const carl = await guest(t.url, 'carl');
    const c = await t.open(carl);
    const carlSeen = [b, a1, a2].map((s) => nextEvent(s, 'room:member-joined', (e) => e.user.id === carl.user.id));
    await t.join(c, room.id);
    await Promise.all(carlSeen);
    expect(joined).toEqual([
      { roomId: room.id, user: ada.user, memberCount: 2 },
      { roomId: room.id, user: carl.user, memberCount: 3 },
    ]);
    expect(onA1.map((e) => e.user.id)).toEqual([carl.user.id]);
    expect(onA2.map((e) => e.user.id)).toEqual([carl.user.id]);

    expect(await emitAck(a1, 'room:leave', { roomId: room.id })).toEqual({ ok: true });
    await sendSeen(a2, room.id, 'still here', [b]);
    expect(left).toEqual([]);
    const gone = nextEvent(b, 'room:member-left');
    a2.disconnect();
    expect(await gone).toEqual({ roomId: room.id, user: ada.user, memberCount: 2, reason: 'disconnected' });
    const members = await request(t.url)
      .get(`/api/v1/rooms/${room.id}/members`)
      .set('Authorization', `Bearer ${bob.accessToken}`)
      .expect(200);
    expect(members.body).toEqual([bob.user, carl.user]);
  });

  it('announces room:leave with reason "left" and a disconnect with reason "disconnected"', async () => {
    const ada = await guest(t.url, 'ada');
    const room = await createRoom(t.url, ada.accessToken);
    const [bob, carl] = await Promise.all([guest(t.url, 'bob'), guest(t.url, 'carl')]);
    const [a, b, c] = await Promise.all([t.open(ada), t.open(bob), t.open(carl)]);
    for (const socket of [a, b, c]) {
      await t.join(socket, room.id);
    }
    const bobLeft = nextEvent(a, 'room:member-left');
    expect(await emitAck(b, 'room:leave', { roomId: room.id })).toEqual({ ok: true });
    expect(await bobLeft).toEqual({ roomId: room.id, user: bob.user, memberCount: 2, reason: 'left' });
    const carlLeft = nextEvent(a, 'room:member-left');
    c.disconnect();
    expect(await carlLeft).toEqual({ roomId: room.id, user: carl.user, memberCount: 1, reason: 'disconnected' });
    const notIn = await emitAck(b, 'message:send', { roomId: room.id, content: 'hi' });
    expect(notIn.error?.code).toBe('NOT_A_MEMBER');
  });

  it('sends room:typing to the others but not to the typer’s own sockets, members only', async () => {
    const ada = await guest(t.url, 'ada');
    const room = await createRoom(t.url, ada.accessToken);
    const [bob, eve] = await Promise.all([guest(t.url, 'bob'), guest(t.url, 'eve')]);
    const [a1, a2, b, e] = await Promise.all([t.open(ada), t.open(ada), t.open(bob), t.open(eve)]);
    for (const socket of [a1, a2, b]) {
      await t.join(socket, room.id);
    }
    const typingA1 = record(a1, 'room:typing');
    const typingA2 = record(a2, 'room:typing');
    const seen = nextEvent(b, 'room:typing');
    expect(await emitAck(a1, 'room:typing', { roomId: room.id, typing: true })).toEqual({ ok: true });
    expect(await seen).toEqual({ roomId: room.id, user: ada.user, typing: true });
    await sendSeen(b, room.id, 'after typing', [a1, a2]);
    expect(typingA1).toEqual([]);
    expect(typingA2).toEqual([]);

    const outsider = await emitAck(e, 'room:typing', { roomId: room.id, typing: true });
    expect(outsider).toEqual({ ok: false, error: { code: 'NOT_A_MEMBER', message: expect.any(String) } });
    const missing = await emitAck(e, 'room:typing', { roomId: 'no-such-room', typing: false });
    expect(missing.error?.code).toBe('ROOM_NOT_FOUND');
  });

  it('sends user:renamed once to every socket sharing a room and to the user’s own sockets', async () => {
    const ada = await guest(t.url, 'ada');
    const [r1, r2, r3] = await Promise.all([1, 2, 3].map((i) => createRoom(t.url, ada.accessToken, { name: `r${i}` })));
    const [bob, carl, dave] = await Promise.all(['bob', 'carl', 'dave'].map((n) => guest(t.url, n)));
    const [a1, a2, b, c, d] = await Promise.all([t.open(ada), t.open(ada), t.open(bob), t.open(carl), t.open(dave)]);
    for (const [socket, rooms] of [
      [a1, [r1, r2]],
      [a2, [r1]],
      [b, [r1, r2]],
      [c, [r2]],
      [d, [r3]],
    ] as const) {
      for (const room of rooms) {
        await t.join(socket, room.id);
      }
    }
    const renamed = [a1, a2, b, c, d].map((s) => record(s, 'user:renamed'));
    const ack = await emitAck(a1, 'user:rename', { username: '  Ada Lovelace ' });
    const adaRenamed = { ...ada.user, username: 'Ada Lovelace' };
    expect(ack).toMatchObject({ ok: true, user: adaRenamed });

    await sendSeen(a2, r1.id, 'from tab 2', [a1, a2, b]);
    await sendSeen(a1, r2.id, 'from tab 1', [b, c]);
    await sendSeen(d, r3.id, 'unrelated', [d]);
    const event = { user: adaRenamed, previousUsername: 'ada' };
    expect(renamed).toEqual([[event], [event], [event], [event], []]);

    const history = await emitAck(b, 'room:history', { roomId: r1.id });
    expect((history.messages as Array<{ username: string }>).map((m) => m.username)).toEqual(['Ada Lovelace']);
    const members = await emitAck(c, 'room:join', { roomId: r2.id });
    expect(members.members).toContainEqual(adaRenamed);
  });

  it('refuses a member’s rename to a taken account name and invalid names', async () => {
    const register = (username: string) =>
      request(t.url)
        .post('/api/v1/auth/register')
        .send({ username, password: 'correct horse' })
        .expect(201)
        .then((res) => res.body as AuthBody);
    const [alice, bob] = await Promise.all([register('alice-acct'), register('bob-acct')]);
    const b = await t.open(bob);
    const taken = await emitAck(b, 'user:rename', { username: 'ALICE-acct' });
    expect(taken).toEqual({ ok: false, error: { code: 'USERNAME_TAKEN', message: expect.any(String) } });
    for (const username of ['', '   ', 'x'.repeat(33), 'semi;colon', '<script>', 42, null, ['bob']]) {
      const bad = await emitAck(b, 'user:rename', { username });
      expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: expect.anything() } });
    }
    expect(await emitAck(b, 'user:rename', { username: 'bob renamed' })).toMatchObject({
      ok: true,
      user: { id: bob.user.id, username: 'bob renamed', kind: 'member' },
    });
    expect(alice.user.kind).toBe('member');
    const me = await request(t.url).get('/api/v1/auth/me').set('Authorization', `Bearer ${bob.accessToken}`);
    expect(me.body).toMatchObject({ username: 'bob renamed' });
  });
});
