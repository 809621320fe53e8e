import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { adminToken, overview, overviewRequest, pollOverview } from './utils/admin.js';
import { createRoom, emitAck, guest } from './utils/clients.js';
import { useChatApp } from './utils/harness.js';

const ENV = { HEARTBEAT_INTERVAL_MS: '200' };

describe('GET /admin/overview: access and shape', () => {
  const t = useChatApp(ENV);

  it('answers 401 UNAUTHORIZED without a token', async () => {
    const res = await overviewRequest(t.url);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
  });

  it('answers 401 UNAUTHORIZED with a user token', async () => {
    const user = await guest(t.url, 'not-an-admin');
    const res = await overviewRequest(t.url, user.accessToken);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
  });

  it('answers 200 with exactly { instances, connections, users, rooms, messagesLastMinute }, all numbers', async () => {
    const body = await overview(t.url, await adminToken(t.url));
    expect(Object.keys(body).sort()).toEqual(['connections', 'instances', 'messagesLastMinute', 'rooms', 'users']);
    for (const value of Object.values(body)) {
      expect(typeof value).toBe('number');
      expect(Number.isInteger(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
    }
    expect(body.instances).toBe(1);
  });
});

describe('GET /admin/overview: rooms (read from the engine)', () => {
  const t = useChatApp(ENV);

  it('creating 2 rooms raises rooms by 2 at once; the owner deleting one lowers it by 1', async () => {
    const admin = await adminToken(t.url);
    const before = await overview(t.url, admin);
    const owner = await guest(t.url, 'room-owner');
    const first = await createRoom(t.url, owner.accessToken, { name: 'first' });
    await createRoom(t.url, owner.accessToken, { name: 'second' });
    expect((await overview(t.url, admin)).rooms).toBe(before.rooms + 2);

    await request(t.url)
      .delete(`/api/v1/rooms/${first.id as string}`)
      .set('Authorization', `Bearer ${owner.accessToken}`)
      .expect(204);
    expect((await overview(t.url, admin)).rooms).toBe(before.rooms + 1);
  });
});

describe('GET /admin/overview: connections and users (heartbeat)', () => {
  const t = useChatApp(ENV);

  it('3 sockets of 2 users raise connections by 3 and users by 2 after the next heartbeat', async () => {
    const admin = await adminToken(t.url);
    const before = await overview(t.url, admin);
    const alice = await guest(t.url, 'alice');
    const bob = await guest(t.url, 'bob');
    const aliceFirst = await t.open(alice);
    const aliceSecond = await t.open(alice);
    const bobSocket = await t.open(bob);

    const after = await pollOverview(
      t.url,
      admin,
      (o) => o.connections === before.connections + 3 && o.users === before.users + 2,
    );
    expect(after).toMatchObject({
      instances: 1,
      connections: before.connections + 3,
      users: before.users + 2,
      rooms: before.rooms,
      messagesLastMinute: before.messagesLastMinute,
    });

    // A user counts until their last socket is gone.
    const afterClosing = async (socket: Socket, connections: number, users: number): Promise<void> => {
      socket.close();
      const seen = await pollOverview(
        t.url,
        admin,
        (o) => o.connections === before.connections + connections && o.users === before.users + users,
      );
      expect(seen).toMatchObject({ connections: before.connections + connections, users: before.users + users });
    };
    await afterClosing(aliceFirst, 2, 2);
    await afterClosing(bobSocket, 1, 1);
    await afterClosing(aliceSecond, 0, 0);
  });
});

describe('GET /admin/overview: messagesLastMinute (heartbeat)', () => {
  const t = useChatApp(ENV);

  it('4 messages raise messagesLastMinute by 4; a room announcement counts as one more', async () => {
    const admin = await adminToken(t.url);
    const before = await overview(t.url, admin);
    const user = await guest(t.url, 'talker');
    const room = await createRoom(t.url, user.accessToken);
    const roomId = room.id as string;
    const socket = await t.open(user);
    await t.join(socket, roomId);
    for (let i = 1; i <= 4; i += 1) {
      expect(await emitAck(socket, 'message:send', { roomId, content: `message ${i}` })).toMatchObject({ ok: true });
    }

    const afterMessages = await pollOverview(
      t.url,
      admin,
      (o) => o.messagesLastMinute === before.messagesLastMinute + 4,
    );
    expect(afterMessages.messagesLastMinute).toBe(before.messagesLastMinute + 4);

    await request(t.url)
      .post('/api/v1/admin/announcements')
      .set('Authorization', `Bearer ${admin}`)
      .send({ content: 'maintenance at noon', roomId })
      .expect(201);
    const afterAnnouncement = await pollOverview(
      t.url,
      admin,
      (o) => o.messagesLastMinute === before.messagesLastMinute + 5,
    );
    expect(afterAnnouncement.messagesLastMinute).toBe(before.messagesLastMinute + 5);
  });
});
