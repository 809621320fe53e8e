import { JwtService } from '@nestjs/jwt';
import { io } from 'socket.io-client';
import { TEST_ENV } from './utils/app.js';
import { connect, createRoom, emitAck, guest, nextEvent, record } from './utils/clients.js';
import { useChatApp } from './utils/harness.js';

/** API.md §4: the /chat handshake and `room:join` (ack shape, passwords, seats). */
describe('/chat handshake and room:join', () => {
  const t = useChatApp();

  /** A fresh guest with one connected socket. */
  const user = async (name: string) => {
    const auth = await guest(t.url, name);
    return { auth, socket: await t.open(auth) };
  };
  /** The connect_error a refused handshake gives the client. */
  const refusal = (token: string | undefined, options: Record<string, unknown> = {}) =>
    connect(t.url, token, options).then(
      (socket) => {
        t.track(socket);
        throw new Error('the handshake was accepted');
      },
      (err: Error & { data?: unknown }) => err,
    );

  describe('handshake', () => {
    const unauthorized = { message: 'UNAUTHORIZED', data: { code: 'UNAUTHORIZED', message: expect.any(String) } };

    it('refuses a missing token', async () => {
      expect(await refusal(undefined)).toMatchObject(unauthorized);
    });

    it('refuses a garbage token and a token signed with another secret', async () => {
      expect(await refusal('not.a.jwt')).toMatchObject(unauthorized);
      const forged = new JwtService().sign(
        { name: 'mallory', kind: 'guest' },
        { secret: 'another-secret-that-is-at-least-32-bytes!!', subject: 'u1', audience: 'chat', expiresIn: 60 },
      );
      expect(await refusal(forged)).toMatchObject(unauthorized);
    });

    it('refuses an admin-audience token', async () => {
      const admin = new JwtService().sign(
        { name: 'admin', kind: 'member' },
        { secret: TEST_ENV.JWT_SECRET, subject: 'admin', audience: 'chat-admin', expiresIn: 60, algorithm: 'HS256' },
      );
      expect(await refusal(admin)).toMatchObject(unauthorized);
    });

    it('refuses a valid token given only in the URL query', async () => {
      const { accessToken } = await guest(t.url, 'leaky');
      expect(await refusal(undefined, { query: { token: accessToken } })).toMatchObject(unauthorized);
    });

    it('emits session { user } once connected', async () => {
      const { accessToken, user: me } = await guest(t.url, 'ada');
      const socket = t.track(
        io(`${t.url}/chat`, { auth: { token: accessToken }, transports: ['websocket'], forceNew: true }),
      );
      expect(await nextEvent(socket, 'session')).toEqual({ user: { id: me.id, username: 'ada', kind: 'guest' } });
    });
  });

  it('acks a join with the room, its members, the last 50 messages and recovered:false', async () => {
    const ada = await user('ada');
    const room = await createRoom(t.url, ada.auth.accessToken, { name: 'lobby', topic: 'hello' });
    await t.join(ada.socket, room.id);
    for (let i = 1; i <= 55; i++) {
      await emitAck(ada.socket, 'message:send', { roomId: room.id, content: `m${i}` });
    }
    const bob = await user('bob');
    const ack = await emitAck(bob.socket, 'room:join', { roomId: room.id });
    expect(ack).toEqual({
      ok: true,
      room: {
        id: room.id,
        name: 'lobby',
        topic: 'hello',
        visibility: 'public',
        hasPassword: false,
        maxUsers: 20,
        ownerId: ada.auth.user.id,
        createdAt: room.createdAt,
        expiresAt: room.expiresAt,
        memberCount: 2,
        epoch: room.epoch,
        lastSeq: 55,
      },
      members: [ada.auth.user, bob.auth.user],
      messages: expect.any(Array),
      recovered: false,
    });
    const messages = ack.messages as Array<Record<string, unknown>>;
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 6));
    expect(messages[0]).toEqual({
      id: expect.any(String),
      roomId: room.id,
      seq: 6,
      userId: ada.auth.user.id,
      username: 'ada',
      kind: 'user',
      content: 'm6',
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it('is idempotent: joining twice keeps one seat and announces the member once', async () => {
    const ada = await user('ada');
    const room = await createRoom(t.url, ada.auth.accessToken);
    await emitAck(ada.socket, 'room:join', { roomId: room.id });
    const joined = record(ada.socket, 'room:member-joined');
    const bob = await user('bob');
    await emitAck(bob.socket, 'room:join', { roomId: room.id });
    const again = await emitAck(bob.socket, 'room:join', { roomId: room.id });
    expect(again).toMatchObject({ ok: true, room: { memberCount: 2 }, members: [ada.auth.user, bob.auth.user] });
    const carl = await user('carl');
    const carlJoined = nextEvent(ada.socket, 'room:member-joined', (e) => e.user.id === carl.auth.user.id);
    await emitAck(carl.socket, 'room:join', { roomId: room.id });
    await carlJoined;
    expect(joined.map((e) => [e.user.username, e.memberCount])).toEqual([
      ['bob', 2],
      ['carl', 3],
    ]);
  });

  it('refuses an unknown room with ROOM_NOT_FOUND', async () => {
    const ada = await user('ada');
    const ack = await emitAck(ada.socket, 'room:join', { roomId: 'no-such-room' });
    expect(ack).toEqual({ ok: false, error: { code: 'ROOM_NOT_FOUND', message: expect.any(String) } });
  });

  it('asks for the password of a password room once', async () => {
    const owner = await user('owner');
    const room = await createRoom(t.url, owner.auth.accessToken, { password: 'open sesame' });
    expect(room.hasPassword).toBe(true);
    await t.join(owner.socket, room.id);
    const bob = await user('bob');
    const without = await emitAck(bob.socket, 'room:join', { roomId: room.id });
    expect(without).toEqual({ ok: false, error: { code: 'WRONG_PASSWORD', message: expect.any(String) } });
    const wrong = await emitAck(bob.socket, 'room:join', { roomId: room.id, password: 'open barley' });
    expect(wrong.error?.code).toBe('WRONG_PASSWORD');
    const right = await emitAck(bob.socket, 'room:join', { roomId: room.id, password: 'open sesame' });
    expect(right).toMatchObject({ ok: true, room: { hasPassword: true, memberCount: 2 } });
    expect((await emitAck(bob.socket, 'room:leave', { roomId: room.id })).ok).toBe(true);
    const later = await t.open(bob.auth);
    expect(await emitAck(later, 'room:join', { roomId: room.id })).toMatchObject({ ok: true, recovered: false });
  });

  it('refuses a join when every seat is taken (ROOM_FULL)', async () => {
    const ada = await user('ada');
    const room = await createRoom(t.url, ada.auth.accessToken, { maxUsers: 2 });
    const bob = await user('bob');
    await emitAck(ada.socket, 'room:join', { roomId: room.id });
    await emitAck(bob.socket, 'room:join', { roomId: room.id });
    const carl = await user('carl');
    const ack = await emitAck(carl.socket, 'room:join', { roomId: room.id });
    expect(ack).toEqual({ ok: false, error: { code: 'ROOM_FULL', message: expect.any(String) } });
    const bobAgain = await t.open(bob.auth);
    await t.join(bobAgain, room.id);
  });

  it('gives the last seat to exactly one of two racing joins', async () => {
    const ada = await user('ada');
    const room = await createRoom(t.url, ada.auth.accessToken, { maxUsers: 2 });
    await emitAck(ada.socket, 'room:join', { roomId: room.id });
    const [bob, carl] = await Promise.all([user('bob'), user('carl')]);
    const acks = await Promise.all([
      emitAck(bob.socket, 'room:join', { roomId: room.id }),
      emitAck(carl.socket, 'room:join', { roomId: room.id }),
    ]);
    expect(acks.filter((a) => a.ok)).toHaveLength(1);
    expect(acks.filter((a) => !a.ok).map((a) => a.error?.code)).toEqual(['ROOM_FULL']);
    const winner = acks.find((a) => a.ok);
    expect(winner).toMatchObject({ room: { memberCount: 2 } });
    expect(winner?.members).toHaveLength(2);
  });
});

/** A join still in flight when its socket disconnects must not leave a seat behind (API.md §4). */
describe('/chat room:join interrupted by a disconnect', () => {
  // A slow password check keeps the ghost's join in flight while its socket goes away.
  const t = useChatApp({ SCRYPT_COST: String(2 ** 15) });

  it('frees the seat of a socket that disconnected while its join was being checked', async () => {
    const [bob, ghost, carl] = await Promise.all(['bob', 'ghost', 'carl'].map((name) => guest(t.url, name)));
    const room = await createRoom(t.url, bob.accessToken, { maxUsers: 2, password: 'open sesame' });
    const [b, g, c] = await Promise.all([bob, ghost, carl].map((u) => t.open(u)));
    await emitAck(b, 'room:join', { roomId: room.id });
    const joined = record(b, 'room:member-joined');

    // The disconnect follows the join on the same connection, while the slow password check runs:
    // however the two interleave on the server, no seat may be left behind.
    g.emit('room:join', { roomId: room.id, password: 'open sesame' }, () => undefined);
    g.disconnect();

    const ack = await emitAck(c, 'room:join', { roomId: room.id, password: 'open sesame' });
    expect(ack).toMatchObject({ ok: true, room: { memberCount: 2 }, members: [bob.user, carl.user] });
    expect(joined.map((e) => e.user.username)).toEqual(['carl']);
  });
});
