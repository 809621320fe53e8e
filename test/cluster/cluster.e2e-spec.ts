import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { createRoom, emitAck, guest, nextEvent, record, type AuthBody } from '../utils/clients.js';
import { sendSeen, useCluster, type ClusterNode } from '../utils/cluster.js';

/** Resolves with the first `count` payloads of `event` (and keeps recording into the same array). */
function collect<T = any>(socket: Socket, event: string, count: number): Promise<T[]> {
  const seen: T[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`got ${seen.length} of ${count} ${event}`)), 10_000);
    socket.on(event, (payload: T) => {
      seen.push(payload);
      if (seen.length === count) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
  });
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const members = async (node: ClusterNode, roomId: string, token: string) =>
  (await request(node.url).get(`/api/v1/rooms/${roomId}/members`).set('Authorization', `Bearer ${token}`).expect(200))
    .body;

const memberCount = async (node: ClusterNode, roomId: string): Promise<number> =>
  (await request(node.url).get(`/api/v1/rooms/${roomId}`).expect(200)).body.memberCount;

/** API.md §1, §4, §5 with two instances on one Redis: clients see one chat, whichever instance they use. */
describe('two instances: messages, presence and capacity', () => {
  const cluster = useCluster();
  const a = (): ClusterNode => cluster.nodes[0];
  const b = (): ClusterNode => cluster.nodes[1];

  it('delivers every message, sent on either instance, once to members on both, in seq order', async () => {
    const [ada, bob] = await Promise.all([guest(a().url, 'ada'), guest(b().url, 'bob')]);
    const room = await createRoom(a().url, ada.accessToken);
    const [onA, onB] = await Promise.all([a().open(ada), b().open(bob)]);
    await cluster.join(onA, room.id);
    await cluster.join(onB, room.id);

    const firstOnA = nextEvent(onA, 'message:new');
    const firstOnB = nextEvent(onB, 'message:new');
    const ack = await emitAck(onA, 'message:send', { roomId: room.id, content: 'hello from A', clientMsgId: 'c1' });
    expect(ack).toMatchObject({ ok: true, message: { seq: 1, userId: ada.user.id, username: 'ada' } });
    expect(await firstOnB).toEqual(ack.message);
    expect(await firstOnA).toEqual(ack.message);

    // Both instances append and publish at the same time: each receiver still sees 2, 3, … in order.
    const burst = 20;
    const total = 1 + 2 * burst;
    const gotA = collect(onA, 'message:new', total - 1);
    const gotB = collect(onB, 'message:new', total - 1);
    const acks = await Promise.all(
      range(1, burst).flatMap((i) => [
        emitAck(onA, 'message:send', { roomId: room.id, content: `a${i}` }),
        emitAck(onB, 'message:send', { roomId: room.id, content: `b${i}` }),
      ]),
    );
    expect(acks.every((x) => x.ok)).toBe(true);
    const [seenA, seenB] = await Promise.all([gotA, gotB]);
    const sent = new Map(acks.map((x) => [(x.message as { seq: number }).seq, x.message]));
    expect(seenA.map((m) => m.seq)).toEqual(range(2, total));
    expect(seenB.map((m) => m.seq)).toEqual(range(2, total));
    expect(seenB).toEqual(range(2, total).map((seq) => sent.get(seq)));
    expect(seenA).toEqual(seenB);

    // A retry is not broadcast again; the next message proves nothing else was on its way.
    const retry = await emitAck(onA, 'message:send', { roomId: room.id, content: 'hello from A', clientMsgId: 'c1' });
    expect(retry).toEqual(ack);
    await sendSeen(onB, room.id, 'last', [onA, onB]);
    expect(seenA.map((m) => m.seq)).toEqual(range(2, total + 1));
    expect(seenB.map((m) => m.seq)).toEqual(range(2, total + 1));

    const history = await request(b().url)
      .get(`/api/v1/rooms/${room.id}/messages?limit=100`)
      .set('Authorization', `Bearer ${bob.accessToken}`)
      .expect(200);
    expect(history.body.items.map((m: { seq: number }) => m.seq)).toEqual(range(1, total + 1));
  });

  it('shows joins, leaves, member lists and counts across instances; tabs on both are one member', async () => {
    const [ada, bob, cy] = await Promise.all([guest(a().url, 'ada'), guest(b().url, 'bob'), guest(a().url, 'cy')]);
    const room = await createRoom(a().url, ada.accessToken);
    const roomId = room.id as string;
    const [onA, onB] = await Promise.all([a().open(ada), b().open(bob)]);
    await cluster.join(onA, roomId);
    const joinedA = record(onA, 'room:member-joined');
    const leftA = record(onA, 'room:member-left');
    const bobSeen = nextEvent(onA, 'room:member-joined');
    const bobJoin = await cluster.join(onB, roomId);
    expect(bobJoin).toMatchObject({ room: { memberCount: 2 }, members: [ada.user, bob.user] });
    expect(await bobSeen).toEqual({ roomId, user: bob.user, memberCount: 2 });
    const joinedB = record(onB, 'room:member-joined');
    const leftB = record(onB, 'room:member-left');
    for (const node of [a(), b()]) {
      expect(await members(node, roomId, cy.accessToken)).toEqual([ada.user, bob.user]);
      expect(await memberCount(node, roomId)).toBe(2);
    }

    // cy: one tab on each instance. Joined with the first (on B), nothing more with the second (on A).
    const [cyB, cyA] = await Promise.all([b().open(cy), a().open(cy)]);
    const cySeen = [onA, onB].map((s) => nextEvent(s, 'room:member-joined'));
    await cluster.join(cyB, roomId);
    expect(await Promise.all(cySeen)).toEqual([1, 2].map(() => ({ roomId, user: cy.user, memberCount: 3 })));
    const secondTab = await cluster.join(cyA, roomId);
    expect(secondTab).toMatchObject({ room: { memberCount: 3 }, members: [ada.user, bob.user, cy.user] });
    for (const node of [a(), b()]) {
      expect(await members(node, roomId, ada.accessToken)).toEqual([ada.user, bob.user, cy.user]);
      expect(await memberCount(node, roomId)).toBe(3);
    }

    // Leaving with the first tab is not leaving; losing the last one is.
    expect(await emitAck(cyB, 'room:leave', { roomId })).toEqual({ ok: true });
    await sendSeen(cyA, roomId, 'still here', [onA, onB, cyA]);
    expect(await memberCount(b(), roomId)).toBe(3);
    const cyGone = [onA, onB].map((s) => nextEvent(s, 'room:member-left'));
    cyA.disconnect();
    expect(await Promise.all(cyGone)).toEqual(
      [1, 2].map(() => ({ roomId, user: cy.user, memberCount: 2, reason: 'disconnected' })),
    );
    const bobGone = nextEvent(onA, 'room:member-left');
    expect(await emitAck(onB, 'room:leave', { roomId })).toEqual({ ok: true });
    expect(await bobGone).toEqual({ roomId, user: bob.user, memberCount: 1, reason: 'left' });
    for (const node of [a(), b()]) {
      expect(await members(node, roomId, bob.accessToken)).toEqual([ada.user]);
      expect(await memberCount(node, roomId)).toBe(1);
    }

    await sendSeen(onA, roomId, 'alone', [onA]);
    expect(joinedA).toEqual([
      { roomId, user: bob.user, memberCount: 2 },
      { roomId, user: cy.user, memberCount: 3 },
    ]);
    expect(joinedB).toEqual([{ roomId, user: cy.user, memberCount: 3 }]);
    expect(leftA).toEqual([
      { roomId, user: cy.user, memberCount: 2, reason: 'disconnected' },
      { roomId, user: bob.user, memberCount: 1, reason: 'left' },
    ]);
    expect(leftB).toEqual([{ roomId, user: cy.user, memberCount: 2, reason: 'disconnected' }]);
  });

  it('seats exactly maxUsers of 30 users racing to join through both instances', async () => {
    const owner = await guest(a().url, 'owner');
    const room = await createRoom(b().url, owner.accessToken, { maxUsers: 10 });
    const nodeOf = (i: number): ClusterNode => (i % 2 === 0 ? a() : b());
    const users: AuthBody[] = await Promise.all(range(0, 29).map((i) => guest(nodeOf(i).url, `racer ${i}`)));
    const sockets = await Promise.all(users.map((user, i) => nodeOf(i).open(user)));

    const acks = await Promise.all(sockets.map((s) => emitAck(s, 'room:join', { roomId: room.id })));
    const seated = users.filter((_, i) => acks[i].ok).map((u) => u.user);
    const refused = acks.filter((ack) => !ack.ok);
    expect(seated).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const ack of refused) {
      expect(ack).toEqual({ ok: false, error: { code: 'ROOM_FULL', message: expect.any(String) } });
    }
    for (const node of [a(), b()]) {
      expect(await memberCount(node, room.id)).toBe(10);
      const listed = await members(node, room.id, owner.accessToken);
      expect(new Set(listed.map((u: { id: string }) => u.id))).toEqual(new Set(seated.map((u) => u.id)));
    }
    const outsider = sockets[acks.findIndex((ack) => !ack.ok)];
    const refusedSend = await emitAck(outsider, 'message:send', { roomId: room.id, content: 'let me in' });
    expect(refusedSend.error?.code).toBe('NOT_A_MEMBER');
  });

  it('is ready on both instances', async () => {
    for (const node of [a(), b()]) {
      const res = await request(node.url).get('/health/ready').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { engine: { status: 'up' } } });
    }
  });
});
