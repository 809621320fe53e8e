import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { createRoom, emitAck, guest, nextEvent, record } from '../utils/clients.js';
import { sendSeen, useCluster, type ClusterNode } from '../utils/cluster.js';

/** API.md §1, §4 with two instances on one Redis: closing, renames and typing reach every instance. */
describe('two instances: closing rooms, renames and typing', () => {
  const cluster = useCluster({ ROOM_MIN_TTL_SECONDS: '1' });
  const a = (): ClusterNode => cluster.nodes[0];
  const b = (): ClusterNode => cluster.nodes[1];

  /** ada (owner, a tab on each instance), bob on B and cy on A, all in a room and in a lobby. */
  const populated = async (body: Record<string, unknown> = {}) => {
    const [ada, bob, cy] = await Promise.all([guest(a().url, 'ada'), guest(b().url, 'bob'), guest(a().url, 'cy')]);
    const [room, lobby] = await Promise.all([
      createRoom(b().url, ada.accessToken, body),
      createRoom(a().url, ada.accessToken, { name: 'lobby' }),
    ]);
    const [adaA, adaB, bobB, cyA] = await Promise.all([a().open(ada), b().open(ada), b().open(bob), a().open(cy)]);
    const sockets = [adaA, adaB, bobB, cyA];
    for (const socket of sockets) {
      await cluster.join(socket, lobby.id);
      await cluster.join(socket, room.id);
    }
    return { ada, bob, roomId: room.id as string, lobbyId: lobby.id as string, adaA, adaB, bobB, cyA, sockets };
  };

  /** What clients see of a closed room, on both instances. */
  const expectGone = async (roomId: string, token: string, member: Socket) => {
    for (const node of [a(), b()]) {
      await request(node.url)
        .get(`/api/v1/rooms/${roomId}`)
        .expect(404)
        .expect((res) => expect(res.body).toMatchObject({ code: 'ROOM_NOT_FOUND' }));
      await request(node.url)
        .get(`/api/v1/rooms/${roomId}/members`)
        .set('Authorization', `Bearer ${token}`)
        .expect(404);
    }
    const send = await emitAck(member, 'message:send', { roomId, content: 'anyone?' });
    expect(send).toEqual({ ok: false, error: { code: 'ROOM_NOT_FOUND', message: expect.any(String) } });
  };

  it('closes an expired room once for members on both instances', async () => {
    const { ada, roomId, lobbyId, adaA, bobB, sockets } = await populated({ ttlSeconds: 2 });
    const closed = sockets.map((s) => record(s, 'room:closed'));
    const left = sockets.map((s) => record(s, 'room:member-left'));
    await Promise.all(sockets.map((s) => nextEvent(s, 'room:closed')));
    await expectGone(roomId, ada.accessToken, bobB);

    // Both instances had their expiry timer: after a message from each, still one room:closed per socket.
    await sendSeen(adaA, lobbyId, 'from A after expiry', sockets);
    await sendSeen(bobB, lobbyId, 'from B after expiry', sockets);
    expect(closed).toEqual(sockets.map(() => [{ roomId, reason: 'expired' }]));
    expect(left).toEqual(sockets.map(() => []));
  });

  it('closes a room deleted through instance B for its members on instance A', async () => {
    const { ada, roomId, lobbyId, adaA, bobB, cyA, sockets } = await populated();
    const closed = sockets.map((s) => record(s, 'room:closed'));
    const onA = [adaA, cyA].map((s) => nextEvent(s, 'room:closed'));
    await request(b().url)
      .delete(`/api/v1/rooms/${roomId}`)
      .set('Authorization', `Bearer ${ada.accessToken}`)
      .expect(204);
    expect(await Promise.all(onA)).toEqual([1, 2].map(() => ({ roomId, reason: 'deleted' })));
    await expectGone(roomId, ada.accessToken, cyA);

    await sendSeen(bobB, lobbyId, 'after deletion', sockets);
    expect(closed).toEqual(sockets.map(() => [{ roomId, reason: 'deleted' }]));
    // Former members are out of the room on both instances: leaving it tells nobody anything.
    const left = sockets.map((s) => record(s, 'room:member-left'));
    expect(await emitAck(cyA, 'room:leave', { roomId })).toEqual({ ok: true });
    await sendSeen(adaA, lobbyId, 'after leaving', sockets);
    expect(left).toEqual(sockets.map(() => []));
  });

  it('renames a user across instances: the other tab sends under the new name at once', async () => {
    const { ada, bob, roomId, adaA, adaB, bobB, cyA, sockets } = await populated();
    const renamed = sockets.map((s) => record(s, 'user:renamed'));
    const bobHears = nextEvent(bobB, 'user:renamed');
    const ack = await emitAck(adaA, 'user:rename', { username: 'Ada Lovelace' });
    const adaRenamed = { ...ada.user, username: 'Ada Lovelace' };
    expect(ack).toMatchObject({ ok: true, user: adaRenamed });
    expect(await bobHears).toEqual({ user: adaRenamed, previousUsername: 'ada' });

    const seen = [bobB, cyA].map((s) => nextEvent(s, 'message:new', (m) => m.content === 'from the other tab'));
    const sent = await emitAck(adaB, 'message:send', { roomId, content: 'from the other tab' });
    expect(sent).toMatchObject({ ok: true, message: { userId: ada.user.id, username: 'Ada Lovelace' } });
    expect(await Promise.all(seen)).toEqual([sent.message, sent.message]);

    for (const node of [a(), b()]) {
      const members = await request(node.url)
        .get(`/api/v1/rooms/${roomId}/members`)
        .set('Authorization', `Bearer ${bob.accessToken}`)
        .expect(200);
      expect(members.body).toContainEqual(adaRenamed);
    }
    // One user:renamed per socket, although ada shares two rooms with everyone.
    await sendSeen(bobB, roomId, 'done', sockets);
    expect(renamed).toEqual(sockets.map(() => [{ user: adaRenamed, previousUsername: 'ada' }]));
  });

  it('sends room:typing from A to the others on both instances but not to the typer’s tab on B', async () => {
    const { ada, roomId, adaA, adaB, bobB, cyA, sockets } = await populated();
    const typing = sockets.map((s) => record(s, 'room:typing'));
    const seen = [bobB, cyA].map((s) => nextEvent(s, 'room:typing'));
    expect(await emitAck(adaA, 'room:typing', { roomId, typing: true })).toEqual({ ok: true });
    expect(await Promise.all(seen)).toEqual([1, 2].map(() => ({ roomId, user: ada.user, typing: true })));

    await sendSeen(bobB, roomId, 'after typing', sockets);
    expect(typing[sockets.indexOf(adaA)]).toEqual([]);
    expect(typing[sockets.indexOf(adaB)]).toEqual([]);
    expect(typing[sockets.indexOf(bobB)]).toHaveLength(1);
    expect(typing[sockets.indexOf(cyA)]).toHaveLength(1);
  });
});
