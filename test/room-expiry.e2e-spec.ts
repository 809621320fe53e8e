import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { startApp, type TestApp } from './utils/app.js';
import { connect, createRoom, emitAck, guest, nextEvent, type AuthBody } from './utils/clients.js';

/** API.md §1, §3, §4: a room closes when its owner deletes it or when its TTL runs out. */
describe('room closing', () => {
  let t: TestApp;
  const sockets: Socket[] = [];

  const open = async (auth: AuthBody): Promise<Socket> => {
    const socket = await connect(t.url, auth.accessToken);
    sockets.push(socket);
    return socket;
  };
  /** ada (owner, two tabs) and bob, all joined; carl connected elsewhere. */
  const populated = async (body: Record<string, unknown> = {}) => {
    const [ada, bob, carl] = await Promise.all(['ada', 'bob', 'carl'].map((name) => guest(t.url, name)));
    const room = await createRoom(t.url, ada.accessToken, body);
    const roomId = room.id as string;
    const [a1, a2, b, c] = await Promise.all([open(ada), open(ada), open(bob), open(carl)]);
    for (const socket of [a1, a2, b]) {
      expect(await emitAck(socket, 'room:join', { roomId })).toMatchObject({ ok: true });
    }
    return { ada, bob, roomId, members: [a1, a2, b], outsider: c };
  };
  /** Everything a client can observe about a closed room. */
  const expectGone = async (roomId: string, token: string, member: Socket) => {
    await request(t.url)
      .get(`/api/v1/rooms/${roomId}`)
      .expect(404)
      .expect((res) => expect(res.body).toMatchObject({ statusCode: 404, code: 'ROOM_NOT_FOUND' }));
    const listed = await request(t.url).get('/api/v1/rooms?limit=100').expect(200);
    expect((listed.body.items as Array<{ id: string }>).map((r) => r.id)).not.toContain(roomId);
    await request(t.url).get(`/api/v1/rooms/${roomId}/messages`).set('Authorization', `Bearer ${token}`).expect(404);
    for (const [event, payload] of [
      ['message:send', { roomId, content: 'anyone?' }],
      ['room:join', { roomId }],
      ['room:history', { roomId }],
      ['room:typing', { roomId, typing: true }],
    ] as const) {
      expect({ event, ack: await emitAck(member, event, payload) }).toEqual({
        event,
        ack: { ok: false, error: { code: 'ROOM_NOT_FOUND', message: expect.any(String) } },
      });
    }
  };

  afterEach(async () => {
    for (const socket of sockets.splice(0)) {
      socket.close();
    }
    await t.close();
  });

  it('sends room:closed {reason:"deleted"} to every member socket when the owner deletes the room', async () => {
    t = await startApp();
    const { ada, bob, roomId, members, outsider } = await populated();
    await emitAck(members[0], 'message:send', { roomId, content: 'bye' });
    const closedOn = members.map((s) => nextEvent(s, 'room:closed'));
    const outsiderEvents: unknown[] = [];
    outsider.on('room:closed', (e) => outsiderEvents.push(e));

    await request(t.url)
      .delete(`/api/v1/rooms/${roomId}`)
      .set('Authorization', `Bearer ${bob.accessToken}`)
      .expect(403)
      .expect((res) => expect(res.body).toMatchObject({ code: 'FORBIDDEN' }));
    await request(t.url)
      .delete(`/api/v1/rooms/${roomId}`)
      .set('Authorization', `Bearer ${ada.accessToken}`)
      .expect(204);
    expect(await Promise.all(closedOn)).toEqual(members.map(() => ({ roomId, reason: 'deleted' })));

    await expectGone(roomId, bob.accessToken, members[2]);
    expect(await emitAck(outsider, 'room:leave', { roomId })).toMatchObject({ error: { code: 'ROOM_NOT_FOUND' } });
    expect(outsiderEvents).toEqual([]);
    await request(t.url)
      .delete(`/api/v1/rooms/${roomId}`)
      .set('Authorization', `Bearer ${ada.accessToken}`)
      .expect(404);
  });

  it('sends no member-left when a closed room’s former members disconnect', async () => {
    t = await startApp();
    const { ada, roomId, members } = await populated();
    const other = await createRoom(t.url, ada.accessToken);
    const [a1, , b] = members;
    await emitAck(a1, 'room:join', { roomId: other.id });
    await emitAck(b, 'room:join', { roomId: other.id });
    const left: unknown[] = [];
    a1.on('room:member-left', (e) => left.push(e));
    const closed = nextEvent(a1, 'room:closed');
    await request(t.url)
      .delete(`/api/v1/rooms/${roomId}`)
      .set('Authorization', `Bearer ${ada.accessToken}`)
      .expect(204);
    await closed;
    const bobGone = nextEvent(a1, 'room:member-left');
    b.disconnect();
    expect(await bobGone).toMatchObject({ roomId: other.id, reason: 'disconnected' });
    expect(left).toHaveLength(1);
  });

  it('expires a room at its TTL: members get room:closed {reason:"expired"}, then it is gone', async () => {
    t = await startApp({ ROOM_MIN_TTL_SECONDS: '1' });
    const { bob, roomId, members } = await populated({ ttlSeconds: 2 });
    const closedOn = members.map((s) => nextEvent(s, 'room:closed'));
    const before = await request(t.url).get(`/api/v1/rooms/${roomId}`).expect(200);
    expect(Date.parse(before.body.expiresAt) - Date.parse(before.body.createdAt)).toBe(2000);

    expect(await Promise.all(closedOn)).toEqual(members.map(() => ({ roomId, reason: 'expired' })));
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(before.body.expiresAt));
    await expectGone(roomId, bob.accessToken, members[2]);
  });

  it('expires rooms in order of their TTL, each at its own time', async () => {
    t = await startApp({ ROOM_MIN_TTL_SECONDS: '1' });
    const late = await populated({ ttlSeconds: 3, name: 'late' });
    const early = await populated({ ttlSeconds: 1, name: 'early' });
    const order: string[] = [];
    const closed = [early, late].map(({ members }) =>
      nextEvent(members[2], 'room:closed').then((e: { roomId: string; reason: string }) => {
        order.push(e.roomId);
        return e.reason;
      }),
    );
    expect(await Promise.all(closed)).toEqual(['expired', 'expired']);
    expect(order).toEqual([early.roomId, late.roomId]);
  });
});
