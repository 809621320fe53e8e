import type { Socket } from 'socket.io-client';
import request from 'supertest';
import {
  adminApi,
  adminToken,
  createBan,
  disconnected,
  expectBannedHandshake,
  expectError,
  pollUntil,
  walkPages as walk,
  type AdminApi,
  type Ban,
  type Page,
} from './utils/admin.js';
import { connect, createRoom, guest, nextEvent, record, sendOk, type AuthBody } from './utils/clients.js';
import { sendSeen } from './utils/cluster.js';
import { useChatApp } from './utils/harness.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const banIds = async (api: AdminApi): Promise<string[]> => (await walk<Ban>(api, '/bans', 100)).items.map((b) => b.id);

/** API.md §4, §7: bans by user id and what the banned user and everybody else observe. */
describe('admin bans by user id (single instance)', () => {
  const t = useChatApp();
  let admin: AdminApi;

  beforeAll(async () => {
    admin = adminApi(t.url, await adminToken(t.url));
  });

  const lift = (id: string) => admin.delete(`/bans/${id}`);
  /** ada (two tabs) and bob in bob's room; cy connected in no room. */
  const populated = async () => {
    const [ada, bob, cy] = await Promise.all(['ada', 'bob', 'cy'].map((name) => guest(t.url, name)));
    const room = await createRoom(t.url, bob.accessToken);
    const [ada1, ada2, bobS, cyS] = await Promise.all([ada, ada, bob, cy].map((u) => t.open(u)));
    for (const socket of [ada1, ada2, bobS]) {
      await t.join(socket, room.id);
    }
    return { ada, bob, roomId: room.id as string, ada1, ada2, bobS, cyS };
  };
  /** Connects once the handshake is accepted again (bounded poll: a timed ban ends on its own). */
  const reconnect = async (user: AuthBody): Promise<Socket | null> => {
    const attempt = (): Promise<Socket | null> => connect(t.url, user.accessToken).catch(() => null);
    const socket = await pollUntil(attempt, (s) => s !== null, 5000);
    return socket && t.track(socket);
  };

  describe('POST /admin/bans (permanent, by user id)', () => {
    it('removes every socket of the user, tells the room "banned" once, refuses the handshake', async () => {
      const { ada, bob, roomId, ada1, ada2, bobS, cyS } = await populated();
      const noticed = [ada1, ada2].map((s) => nextEvent(s, 'moderation:banned'));
      const gone = [ada1, ada2].map((s) => disconnected(s));
      const left = record(bobS, 'room:member-left');
      const leftOnce = nextEvent(bobS, 'room:member-left');
      const before = Date.now();

      const ban = await createBan(admin, { userId: ada.user.id, reason: 'Spam' });
      expect(ban).toEqual({
        id: expect.any(String),
        userId: ada.user.id,
        reason: 'Spam',
        createdAt: expect.stringMatching(ISO),
        until: null,
        createdBy: 'admin',
      });
      expect(Date.parse(ban.createdAt)).toBeGreaterThanOrEqual(before);
      expect(await Promise.all(noticed)).toEqual([1, 2].map(() => ({ reason: 'Spam', until: null })));
      expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
      expect(await leftOnce).toEqual({ roomId, user: ada.user, memberCount: 1, reason: 'banned' });

      await expectBannedHandshake(t.url, ada.accessToken, null);

      // Everybody else stays: bob and cy are connected, bob chats, a newcomer joins bob's room.
      expect([bobS.connected, cyS.connected]).toEqual([true, true]);
      const dee = await guest(t.url, 'dee');
      await t.join(await t.open(dee), roomId);
      await sendSeen(bobS, roomId, 'still here', [bobS]);
      expect(left).toHaveLength(1);
      const members = await request(t.url)
        .get(`/api/v1/rooms/${roomId}/members`)
        .set('Authorization', `Bearer ${bob.accessToken}`)
        .expect(200);
      expect((members.body as { id: string }[]).map((u) => u.id).sort()).toEqual([bob.user.id, dee.user.id].sort());
      await lift(ban.id).expect(204);
    });
  });

  describe('timed bans', () => {
    it('carry until = createdAt + duration, in the notice and connect_error, and end by themselves', async () => {
      const ada = await guest(t.url, 'ada');
      const socket = await t.open(ada);
      const noticed = nextEvent(socket, 'moderation:banned');
      const ban = await createBan(admin, { userId: ada.user.id, reason: 'Cool down', durationSeconds: 1 });
      expect(ban.until).toMatch(ISO);
      const until = ban.until as string;
      expect(Date.parse(until) - Date.parse(ban.createdAt)).toBe(1000);
      expect(await noticed).toEqual({ reason: 'Cool down', until });
      await expectBannedHandshake(t.url, ada.accessToken, until);

      const back = await reconnect(ada);
      expect(back?.connected).toBe(true);
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(until));
      expect(await banIds(admin)).not.toContain(ban.id);
      expectError(await lift(ban.id), 404, 'NOT_FOUND');
    });
  });

  describe('DELETE /admin/bans/:id', () => {
    it('lifts at once; lifting again or an unknown id answers 404 NOT_FOUND', async () => {
      const ada = await guest(t.url, 'ada');
      const gone = disconnected(await t.open(ada));
      const ban = await createBan(admin, { userId: ada.user.id, reason: 'Oops' });
      await gone;
      await expectBannedHandshake(t.url, ada.accessToken, null);

      await lift(ban.id).expect(204);
      expect((await t.open(ada)).connected).toBe(true);
      expect(await banIds(admin)).not.toContain(ban.id);
      expectError(await lift(ban.id), 404, 'NOT_FOUND');
      expectError(await lift('no-such-ban'), 404, 'NOT_FOUND');
    });
  });

  describe('GET /admin/bans', () => {
    it('lists the bans in force newest first; limit=2 pages cover each once; a lifted one leaves', async () => {
      const made: Ban[] = [];
      for (const name of ['first', 'second', 'third']) {
        made.push(await createBan(admin, { userId: `ghost-${name}-${Date.now()}`, reason: name }));
      }
      const all = (await admin.get('/bans').query({ limit: 100 }).expect(200)).body as Page<Ban>;
      expect(all.nextCursor).toBeNull();
      expect(all.items.slice(0, 3)).toEqual([...made].reverse());
      const paged = await walk<Ban>(admin, '/bans', 2);
      expect(paged.items).toEqual(all.items);
      expect(paged.sizes.slice(0, -1).every((n) => n === 2)).toBe(true);

      await lift(made[1].id).expect(204);
      expect((await banIds(admin)).slice(0, 2)).toEqual([made[2].id, made[0].id]);
      await Promise.all([made[0], made[2]].map((b) => lift(b.id).expect(204)));
    });

    it('answers 400 VALIDATION_FAILED for a malformed cursor', async () => {
      expectError(await admin.get('/bans').query({ cursor: '!!!' }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('validation', () => {
    it.each([
      ['neither userId nor ip', { reason: 'x' }],
      ['a bad ip', { ip: 'not-an-ip', reason: 'x' }],
      ['a missing reason', { userId: 'u1' }],
      ['an empty reason', { userId: 'u1', reason: '' }],
      ['a reason over 256 characters', { userId: 'u1', reason: 'x'.repeat(257) }],
      ['an empty userId', { userId: '', reason: 'x' }],
      ['durationSeconds 0', { userId: 'u1', reason: 'x', durationSeconds: 0 }],
      ['durationSeconds 1.5', { userId: 'u1', reason: 'x', durationSeconds: 1.5 }],
      ['durationSeconds -5', { userId: 'u1', reason: 'x', durationSeconds: -5 }],
      ['durationSeconds "soon"', { userId: 'u1', reason: 'x', durationSeconds: 'soon' }],
    ])('answers 400 VALIDATION_FAILED for %s, and bans nobody', async (_label, body) => {
      const before = await banIds(admin);
      expectError(await admin.post('/bans', body), 400, 'VALIDATION_FAILED');
      expect(await banIds(admin)).toEqual(before);
    });

    it('stores an IPv4-mapped IPv6 address as plain IPv4, without userId', async () => {
      const ban = await createBan(admin, { ip: '::FFFF:203.0.113.7', reason: 'Proxy abuse' });
      expect(ban).toEqual(expect.objectContaining({ ip: '203.0.113.7', reason: 'Proxy abuse', until: null }));
      expect(ban).not.toHaveProperty('userId');
      await lift(ban.id).expect(204);
    });
  });

  describe('access', () => {
    it('answers 401 UNAUTHORIZED without a token or with a user token, and bans nobody', async () => {
      const ada = await guest(t.url, 'ada');
      const kept = await createBan(admin, { userId: `ghost-${Date.now()}`, reason: 'kept' });
      const before = await banIds(admin);
      for (const api of [adminApi(t.url), adminApi(t.url, ada.accessToken)]) {
        expectError(await api.get('/bans'), 401, 'UNAUTHORIZED');
        expectError(await api.post('/bans', { userId: ada.user.id, reason: 'x' }), 401, 'UNAUTHORIZED');
        expectError(await api.delete(`/bans/${kept.id}`), 401, 'UNAUTHORIZED');
        expectError(await api.get('/moderation-log'), 401, 'UNAUTHORIZED');
      }
      expect(await banIds(admin)).toEqual(before);
      expect((await t.open(ada)).connected).toBe(true);
      await lift(kept.id).expect(204);
    });
  });
});

/** API.md §7: every admin action lands in the moderation log (a fresh app: the log starts empty). */
describe('GET /admin/moderation-log', () => {
  const t = useChatApp();

  it('records kick, ban, lift, message deletion, announcements and room closing, newest first', async () => {
    const admin = adminApi(t.url, await adminToken(t.url));
    const [ada, bob] = await Promise.all([guest(t.url, 'ada'), guest(t.url, 'bob')]);
    const roomId = (await createRoom(t.url, ada.accessToken, { password: 'sesame' })).id as string;
    const [adaS, bobS] = await Promise.all([t.open(ada), t.open(bob)]);
    await t.join(adaS, roomId, { password: 'sesame' });
    await t.join(bobS, roomId, { password: 'sesame' });
    const doomed = await sendOk(bobS, roomId, 'doomed');
    const kept = await sendOk(adaS, roomId, 'kept');

    const socketId = bobS.id as string; // the client forgets its id once disconnected
    const kicked = disconnected(bobS);
    await admin
      .delete(`/clients/${encodeURIComponent(socketId)}`)
      .query({ reason: 'Calm down' })
      .expect(204);
    await kicked;
    const ban = await createBan(admin, { userId: ada.user.id, reason: 'Spam' });
    await admin.delete(`/bans/${ban.id}`).expect(204);
    await admin.delete(`/rooms/${roomId}/messages/${doomed.id as string}`).expect(204);
    const notice = await admin.post('/announcements', { content: 'Room notice', roomId }).expect(201);
    await admin.post('/announcements', { content: 'Hello, everyone' }).expect(201);
    // The admin reads the password room's history (the deleted message is gone); a user token cannot.
    const history = (await admin.get(`/rooms/${roomId}/messages`).expect(200)).body as { items: { id: string }[] };
    expect(history.items.map((m) => m.id)).toEqual([kept.id, notice.body.message.id]);
    expectError(await adminApi(t.url, ada.accessToken).get(`/rooms/${roomId}/messages`), 401, 'UNAUTHORIZED');
    await admin.delete(`/rooms/${roomId}`).expect(204);
    expectError(await admin.get(`/rooms/${roomId}/messages`), 404, 'ROOM_NOT_FOUND');

    const entry = (action: string, target: object, reason: string | null) => ({
      id: expect.any(String),
      at: expect.stringMatching(ISO),
      actor: 'admin',
      action,
      target,
      reason,
    });
    const bobTarget = { userId: bob.user.id, username: 'bob' };
    const expected = [
      entry('client.kicked', { socketId, ...bobTarget, ip: '127.0.0.1' }, 'Calm down'),
      entry('ban.created', { banId: ban.id, userId: ada.user.id }, 'Spam'),
      entry('ban.lifted', { banId: ban.id, userId: ada.user.id }, 'Spam'),
      entry('message.deleted', { roomId, messageId: doomed.id, ...bobTarget }, null),
      entry('announcement', { roomId, messageId: notice.body.message.id }, 'Room notice'),
      entry('announcement', {}, 'Hello, everyone'),
      entry('room.closed', { roomId }, null),
    ].reverse();
    const log = (await admin.get('/moderation-log').expect(200)).body as Page<{ id: string; at: string }>;
    expect(log).toEqual({ items: expected, nextCursor: null });
    const times = log.items.map((e) => Date.parse(e.at));
    expect([...times].sort((x, y) => y - x)).toEqual(times);

    const paged = await walk(admin, '/moderation-log', 2);
    expect(paged).toEqual({ items: log.items, sizes: [2, 2, 2, 1] });
    expectError(await admin.get('/moderation-log').query({ cursor: 'bad' }), 400, 'VALIDATION_FAILED');
  });
});

/** Every test client connects from 127.0.0.1: an IP ban bans them all, hence an app of its own. */
describe('an IP ban on 127.0.0.1', () => {
  const t = useChatApp();

  it('removes every socket from the IP, refuses guest tokens and handshakes; lifting restores both', async () => {
    const admin = adminApi(t.url, await adminToken(t.url));
    const [ada, bob] = await Promise.all([guest(t.url, 'ada'), guest(t.url, 'bob')]);
    const sockets = await Promise.all([t.open(ada), t.open(bob)]);
    const noticed = sockets.map((s) => nextEvent(s, 'moderation:banned'));
    const gone = sockets.map((s) => disconnected(s));

    const ban = await createBan(admin, { ip: '127.0.0.1', reason: 'Abuse', durationSeconds: 3600 });
    expect(ban).toEqual({
      id: expect.any(String),
      ip: '127.0.0.1',
      reason: 'Abuse',
      createdAt: expect.stringMatching(ISO),
      until: expect.stringMatching(ISO),
      createdBy: 'admin',
    });
    const { until } = ban;
    expect(Date.parse(until as string) - Date.parse(ban.createdAt)).toBe(3600_000);
    expect(await Promise.all(noticed)).toEqual([1, 2].map(() => ({ reason: 'Abuse', until })));
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);

    const refusedGuest = await request(t.url).post('/api/v1/auth/guest').send({ username: 'cy' });
    expectError(refusedGuest, 403, 'BANNED');
    expect(refusedGuest.body.details).toEqual({ until });
    await expectBannedHandshake(t.url, ada.accessToken, until);

    await admin.delete(`/bans/${ban.id}`).expect(204);
    const cy = await guest(t.url, 'cy');
    expect((await Promise.all([t.open(ada), t.open(cy)])).map((s) => s.connected)).toEqual([true, true]);
  });
});
