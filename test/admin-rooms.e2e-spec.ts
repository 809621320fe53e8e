import request from 'supertest';
import { adminToken } from './utils/admin.js';
import { createRoom, emitAck, guest } from './utils/clients.js';
import { useChatApp } from './utils/harness.js';

/** API.md §7: GET /admin/rooms lists every room, private ones included, with counts and a name filter. */
describe('GET /admin/rooms and /admin/rooms/:id', () => {
  const t = useChatApp();

  const list = async (token: string, query: Record<string, string | number> = {}) => {
    const res = await request(t.url).get('/api/v1/admin/rooms').query(query).set('Authorization', `Bearer ${token}`);
    return res;
  };

  it('lists public and private rooms newest first, with member and message counts, across pages', async () => {
    const owner = await guest(t.url, 'owner');
    const lobby = await createRoom(t.url, owner.accessToken, { name: 'Lobby' });
    const secret = await createRoom(t.url, owner.accessToken, { name: 'Secret Review', visibility: 'private' });
    const socket = await t.open(owner);
    await t.join(socket, lobby.id);
    for (const content of ['one', 'two']) {
      expect(await emitAck(socket, 'message:send', { roomId: lobby.id, content })).toMatchObject({ ok: true });
    }
    const token = await adminToken(t.url);

    const first = await list(token, { limit: 1 });
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      expect.objectContaining({ id: secret.id, visibility: 'private', messageCount: 0 }),
    ]);
    const second = await list(token, { limit: 1, cursor: first.body.nextCursor as string });
    expect(second.body.items).toEqual([
      expect.objectContaining({ id: lobby.id, memberCount: 1, messageCount: 2, lastSeq: 2 }),
    ]);
    expect(second.body.items[0]).not.toHaveProperty('passwordHash');
  });

  it('filters by a part of the name, ignoring case', async () => {
    const owner = await guest(t.url, 'owner');
    const review = await createRoom(t.url, owner.accessToken, { name: 'Design REVIEW' });
    await createRoom(t.url, owner.accessToken, { name: 'Coffee' });
    const res = await list(await adminToken(t.url), { q: 'review' });
    expect(res.body.items.map((room: { id: string }) => room.id)).toContain(review.id);
    expect(res.body.items.every((room: { name: string }) => room.name.toLowerCase().includes('review'))).toBe(true);
    expect(res.body.nextCursor).toBeNull();
  });

  it('shows one room, private or password-protected, with members online and its figures', async () => {
    const [owner, bob] = await Promise.all([guest(t.url, 'owner'), guest(t.url, 'bob')]);
    const room = await createRoom(t.url, owner.accessToken, {
      name: 'Hidden',
      visibility: 'private',
      password: 'open sesame',
    });
    const a = await t.open(owner);
    const b = await t.open(bob);
    await t.join(a, room.id);
    await t.join(b, room.id, { password: 'open sesame' });
    expect(await emitAck(b, 'message:send', { roomId: room.id, content: 'hi' })).toMatchObject({ ok: true });
    expect(await emitAck(b, 'room:leave', { roomId: room.id })).toEqual({ ok: true });
    const token = await adminToken(t.url);

    const res = await request(t.url).get(`/api/v1/admin/rooms/${room.id}`).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.room).toMatchObject({ id: room.id, visibility: 'private', hasPassword: true, memberCount: 1 });
    expect(res.body.room).not.toHaveProperty('passwordHash');
    expect(res.body.members).toEqual([owner.user]);
    expect(res.body.stats).toEqual({
      messageCount: 1,
      participantCount: 2,
      createdBy: owner.user.id,
      lastActivityAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(Date.parse(res.body.stats.lastActivityAt)).toBeGreaterThanOrEqual(Date.parse(room.createdAt));

    const missing = await request(t.url).get('/api/v1/admin/rooms/nope').set('Authorization', `Bearer ${token}`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('ROOM_NOT_FOUND');
    const asUser = await request(t.url)
      .get(`/api/v1/admin/rooms/${room.id}`)
      .set('Authorization', `Bearer ${owner.accessToken}`);
    expect(asUser.status).toBe(401);
  });

  it('refuses user tokens and bad queries', async () => {
    const user = await guest(t.url, 'someone');
    const refused = await list(user.accessToken);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('UNAUTHORIZED');
    const token = await adminToken(t.url);
    const queries: Array<Record<string, string | number>> = [
      { limit: 0 },
      { limit: 101 },
      { cursor: '!!' },
      { q: 'x'.repeat(65) },
    ];
    for (const query of queries) {
      const bad = await list(token, query);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    }
  });
});
