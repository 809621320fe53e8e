import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { connect, createRoom, emitAck, guest, history, nextEvent, type AuthBody } from './utils/clients.js';
import { useChatApp } from './utils/harness.js';
import { waitFor } from './utils/timing.js';

const retryAfterMs = (body: unknown): number => (body as { details: { retryAfterMs: number } }).details.retryAfterMs;

/** Expects a 429 with the contract's body and a Retry-After header; returns the advertised wait. */
function expectLimited(res: request.Response): number {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({
    statusCode: 429,
    code: 'RATE_LIMITED',
    details: { retryAfterMs: expect.any(Number) },
  });
  const wait = retryAfterMs(res.body);
  expect(wait).toBeGreaterThan(0);
  expect(Number(res.headers['retry-after'])).toBe(Math.ceil(wait / 1000));
  return wait;
}

describe('HTTP: a general limit per IP, and a stricter one on /auth/* and admin login', () => {
  const t = useChatApp({ HTTP_RATE_LIMIT: '6', HTTP_RATE_WINDOW_SECONDS: '1', AUTH_RATE_LIMIT: '3' });

  it('refuses the request past the general limit with RATE_LIMITED, never health checks, then recovers', async () => {
    for (let i = 0; i < 6; i += 1) {
      await request(t.url).get('/api/v1/rooms').expect(200);
    }
    const wait = expectLimited(await request(t.url).get('/api/v1/rooms'));
    await request(t.url).get('/health/live').expect(200);
    await request(t.url).get('/health/ready').expect(200);
    await waitFor(wait);
    await request(t.url).get('/api/v1/rooms').expect(200);
  });

  it('counts /auth/* and admin login against the stricter limit', async () => {
    await waitFor(1000);
    await request(t.url).post('/api/v1/auth/guest').send({ username: 'a' }).expect(201);
    await request(t.url).post('/api/v1/auth/guest').send({ username: 'b' }).expect(201);
    await request(t.url)
      .post('/api/v1/admin/login')
      .send({ username: 'admin', password: 'wrong-password' })
      .expect(401);
    expectLimited(await request(t.url).post('/api/v1/auth/guest').send({ username: 'c' }));
    expectLimited(await request(t.url).post('/api/v1/auth/login').send({ username: 'c', password: 'whatever1' }));
    // Other routes are still open (they only count against the general limit).
    await request(t.url).get('/api/v1/rooms').expect(200);
  });
});

describe('Socket.IO: a token bucket per connection on every event', () => {
  const t = useChatApp({ SOCKET_EVENT_BURST: '5', SOCKET_EVENTS_PER_SECOND: '10' });

  it('answers events past the burst with RATE_LIMITED and retryAfterMs, unknown ones included, then refills', async () => {
    const socket = await t.open(await guest(t.url, 'ada'));
    const acks = await Promise.all(
      Array.from({ length: 8 }, (_, i) => emitAck(socket, i % 2 ? 'room:history' : 'no:such-event', { roomId: 'x' })),
    );
    const limited = acks.filter((ack) => ack.error?.code === 'RATE_LIMITED');
    expect(acks.slice(0, 5).map((ack) => ack.error?.code)).not.toContain('RATE_LIMITED');
    expect(limited).toHaveLength(3);
    const wait = retryAfterMs(limited[0].error);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(100);
    await waitFor(wait);
    expect((await emitAck(socket, 'room:history', { roomId: 'x' })).error?.code).toBe('ROOM_NOT_FOUND');
  });
});

describe('message:send: a sliding window per user, and a disconnect for who keeps hammering', () => {
  const t = useChatApp({ MESSAGE_RATE_LIMIT: '3', MESSAGE_RATE_WINDOW_SECONDS: '1', RATE_LIMIT_STRIKES: '4' });

  async function roomWith(...names: string[]): Promise<{ roomId: string; users: AuthBody[]; sockets: Socket[] }> {
    const users = await Promise.all(names.map((name) => guest(t.url, name)));
    const roomId = (await createRoom(t.url, users[0].accessToken)).id as string;
    const sockets = await Promise.all(users.map((user) => t.open(user)));
    for (const socket of sockets) {
      await t.join(socket, roomId);
    }
    return { roomId, users, sockets };
  }

  it('refuses the sends past the limit without giving them a seq, and lets them through once the window slides', async () => {
    const { roomId, users, sockets } = await roomWith('ada');
    const send = (content: string) => emitAck(sockets[0], 'message:send', { roomId, content });
    for (const content of ['one', 'two', 'three']) {
      expect(await send(content)).toMatchObject({ ok: true });
    }
    const refused = await send('four');
    expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    await waitFor(retryAfterMs(refused.error));
    expect(await send('five')).toMatchObject({ ok: true, message: { seq: 4 } });
    expect((await history(t.url, roomId, users[0])).map((m) => m.content)).toEqual(['one', 'two', 'three', 'five']);
  });

  it('disconnects a flooder after RATE_LIMIT_STRIKES refusals; the honest member gets every message', async () => {
    const { roomId, users, sockets } = await roomWith('flood', 'honest');
    const [flooder, honest] = sockets;
    const received: string[] = [];
    honest.on('message:new', (m: { userId: string; content: string }) => {
      if (m.userId === users[1].user.id) {
        received.push(m.content);
      }
    });
    const kicked = nextEvent(flooder, 'moderation:kicked');
    const left = nextEvent(honest, 'room:member-left');
    const gone = new Promise<string>((resolve) => flooder.once('disconnect', resolve));
    const flood = Promise.all(
      Array.from({ length: 12 }, (_, i) => emitAck(flooder, 'message:send', { roomId, content: `spam ${i}` })),
    ).catch(() => []);
    const sent = [];
    for (const content of ['hello', 'still here', 'bye']) {
      sent.push(await emitAck(honest, 'message:send', { roomId, content }));
    }
    await flood;
    expect(sent.every((ack) => ack.ok)).toBe(true);
    expect((await kicked).reason).toMatch(/rate limited/);
    expect(await gone).toBe('io server disconnect');
    expect(await left).toMatchObject({ roomId, user: users[0].user, reason: 'kicked' });
    if (received.length < 3) {
      await nextEvent(honest, 'message:new', () => received.length === 3);
    }
    expect(received).toEqual(['hello', 'still here', 'bye']);
  });
});

describe('handshakes: per IP per window, and connections at once per user and per IP', () => {
  const t = useChatApp({
    HANDSHAKE_RATE_LIMIT: '6',
    HANDSHAKE_RATE_WINDOW_SECONDS: '1',
    MAX_CONNECTIONS_PER_USER: '2',
    MAX_CONNECTIONS_PER_IP: '3',
  });
  const refusal = (token: string): Promise<Error & { data?: any }> =>
    connect(t.url, token).then(
      (socket) => {
        socket.close();
        throw new Error('the handshake was accepted');
      },
      (err: Error & { data?: any }) => err,
    );

  it('caps a user at MAX_CONNECTIONS_PER_USER and an address at MAX_CONNECTIONS_PER_IP', async () => {
    const [ada, bob] = await Promise.all([guest(t.url, 'ada'), guest(t.url, 'bob')]);
    const first = await t.open(ada);
    await t.open(ada);
    const byUser = await refusal(ada.accessToken);
    expect(byUser.message).toBe('RATE_LIMITED');
    expect(byUser.data).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) });
    await t.open(bob);
    expect((await refusal(bob.accessToken)).data.message).toMatch(/address/);
    // A closed connection frees its slot once the server has seen it go (bounded retries).
    first.close();
    let reopened: Socket | undefined;
    for (let attempt = 0; attempt < 20 && !reopened; attempt += 1) {
      reopened = await t.open(bob).catch(() => waitFor(50).then(() => undefined));
    }
    expect(reopened?.connected).toBe(true);
  });

  it('refuses handshakes past HANDSHAKE_RATE_LIMIT per window, before reading the token', async () => {
    await waitFor(1000);
    for (let i = 0; i < 6; i += 1) {
      expect((await refusal('not-a-token')).message).toBe('UNAUTHORIZED');
    }
    const limited = await refusal('not-a-token');
    expect(limited.message).toBe('RATE_LIMITED');
    await waitFor(limited.data.retryAfterMs as number);
    expect((await refusal('not-a-token')).message).toBe('UNAUTHORIZED');
  });
});
