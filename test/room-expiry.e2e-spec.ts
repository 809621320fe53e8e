import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { createRoom, emitAck, guest, nextEvent } from './utils/clients.js';
import { useChatApp, type ChatHarness } from './utils/harness.js';

/** API.md §1, §3, §4: a room closes when its owner deletes it or when its TTL runs out. */
describe('room closing', () => {
  const plain = useChatApp();
  const shortTtl = useChatApp({ ROOM_MIN_TTL_SECONDS: '1' });

  /** On the app of `t`: ada (owner, two tabs) and bob, all joined; carl connected elsewhere. */
  const populated = async (t: ChatHarness, body: Record<string, unknown> = {}) => {
    const [ada, bob, carl] = await Promise.all(['ada', 'bob', 'carl'].map((name) => guest(t.url, name)));
    const room = await createRoom(t.url, ada.accessToken, body);
    const roomId = room.id as string;
    const [a1, a2, b, c] = await Promise.all([t.open(ada), t.open(ada), t.open(bob), t.open(carl)]);
    for (const socket of [a1, a2, b]) {
      await t.join(socket, roomId);
    }
    return { ada, bob, roomId, members: [a1, a2, b], outsider: c };
  };
  /** Everything a client can observe about a closed room. */
  const expectGone = async (t: ChatHarness, roomId: string, token: string, member: Socket) => {
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

  it('sends room:closed {reason:"deleted"} to every member socket when the owner deletes the room', async () => {
    const t = plain;
    const { ada, bob, roomId, members, outsider } = await populated(t);
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

    await expectGone(t, roomId, bob.accessToken, members[2]);
    // Leaving is idempotent: a closed room answers ok like any room the socket is not in.
    expect(await emitAck(outsider, 'room:leave', { roomId })).toEqual({ ok: true });
    expect(outsiderEvents).toEqual([]);
    await request(t.url)
      .delete(`/api/v1/rooms/${roomId}`)
      .set('Authorization', `Bearer ${ada.accessToken}`)
      .expect(404);
  });

  it('sends no member-left when a closed room’s former members disconnect', async () => {
    const t = plain;
    const { ada, roomId, members } = await populated(t);
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
    const t = shortTtl;
    const { bob, roomId, members } = await populated(t, { ttlSeconds: 2 });
    const closedOn = members.map((s) => nextEvent(s, 'room:closed'));
    const before = await request(t.url).get(`/api/v1/rooms/${roomId}`).expect(200);
    expect(Date.parse(before.body.expiresAt) - Date.parse(before.body.createdAt)).toBe(2000);

    expect(await Promise.all(closedOn)).toEqual(members.map(() => ({ roomId, reason: 'expired' })));
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(before.body.expiresAt));
    await expectGone(t, roomId, bob.accessToken, members[2]);
  });

  it('expires rooms in order of their TTL, each at its own time', async () => {
    const late = await populated(shortTtl, { ttlSeconds: 3, name: 'late' });
    const early = await populated(shortTtl, { ttlSeconds: 1, name: 'early' });
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
