import request from 'supertest';
import { adminToken } from '../utils/admin.js';
import {
  createRoom,
  emitAck,
  guest,
  history as historyOf,
  nextEvent,
  record,
  sendOk,
  type AuthBody,
} from '../utils/clients.js';
import { sendSeen, useCluster, type ClusterNode } from '../utils/cluster.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type Message = Record<string, any>;
type Announcement = { content: string; roomId?: string; sentAt: string };

/** API.md §4, §7 with two instances on one Redis: admin actions on either instance reach clients on both. */
describe('two instances: admin closes rooms, deletes messages, announces', () => {
  const cluster = useCluster({ HEARTBEAT_INTERVAL_MS: '200', INSTANCE_TTL_MS: '1000' });
  const a = (): ClusterNode => cluster.nodes[0];
  const b = (): ClusterNode => cluster.nodes[1];
  let admin: string;

  beforeAll(async () => {
    // A token from A: the admin key is the same on every instance.
    admin = await adminToken(a().url);
  });

  const history = (node: ClusterNode, roomId: string, user: AuthBody): Promise<Message[]> =>
    historyOf(node.url, roomId, user);
  const send = sendOk;
  const announce = (node: ClusterNode, body: Record<string, unknown>) =>
    request(node.url).post('/api/v1/admin/announcements').set('Authorization', `Bearer ${admin}`).send(body);
  const contents = (seen: { content: string }[]): string[] => seen.map((x) => x.content);

  /**
   * ada (two tabs: one per instance), bob on B and cy on A in a room and a lobby; dan on B only in
   * the lobby; eve on A in no room.
   */
  const populated = async () => {
    const [ada, bob, cy, dan, eve] = await Promise.all([
      guest(a().url, 'ada'),
      guest(b().url, 'bob'),
      guest(a().url, 'cy'),
      guest(b().url, 'dan'),
      guest(a().url, 'eve'),
    ]);
    const [room, lobby] = await Promise.all([
      createRoom(b().url, ada.accessToken),
      createRoom(a().url, ada.accessToken, { name: 'lobby' }),
    ]);
    const [adaA, adaB, bobB, cyA, danB, eveA] = await Promise.all([
      a().open(ada),
      b().open(ada),
      b().open(bob),
      a().open(cy),
      b().open(dan),
      a().open(eve),
    ]);
    const members = [adaA, adaB, bobB, cyA];
    for (const socket of members) {
      await cluster.join(socket, room.id);
    }
    for (const socket of [...members, danB]) {
      await cluster.join(socket, lobby.id);
    }
    return { ada, bob, roomId: room.id as string, lobbyId: lobby.id as string, adaA, bobB, cyA, danB, eveA, members };
  };

  describe.each([
    ['B', 1],
    ['A', 0],
  ])('through instance %s', (_name, via) => {
    const viaNode = (): ClusterNode => cluster.nodes[via];
    const otherNode = (): ClusterNode => cluster.nodes[1 - via];

    it('DELETE /admin/rooms/:id closes the room for members on both instances, once per socket', async () => {
      const { roomId, lobbyId, adaA, bobB, cyA, danB, members } = await populated();
      const closed = [...members, danB].map((s) => record(s, 'room:closed'));
      const arriving = members.map((s) => nextEvent(s, 'room:closed'));

      await request(viaNode().url)
        .delete(`/api/v1/admin/rooms/${roomId}`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(204);
      expect(await Promise.all(arriving)).toEqual(members.map(() => ({ roomId, reason: 'closed-by-admin' })));

      for (const node of [a(), b()]) {
        const res = await request(node.url).get(`/api/v1/rooms/${roomId}`).expect(404);
        expect(res.body).toMatchObject({ code: 'ROOM_NOT_FOUND' });
      }
      for (const socket of [cyA, bobB]) {
        expect(await emitAck(socket, 'message:send', { roomId, content: 'anyone?' })).toEqual({
          ok: false,
          error: { code: 'ROOM_NOT_FOUND', message: expect.any(String) },
        });
      }
      const again = await request(otherNode().url)
        .delete(`/api/v1/admin/rooms/${roomId}`)
        .set('Authorization', `Bearer ${admin}`);
      expect(again.status).toBe(404);
      expect(again.body).toMatchObject({ code: 'ROOM_NOT_FOUND' });

      await sendSeen(adaA, lobbyId, 'after closing', [...members, danB]);
      await sendSeen(bobB, lobbyId, 'after closing, from B', [...members, danB]);
      expect(closed).toEqual([...members.map(() => [{ roomId, reason: 'closed-by-admin' }]), []]);
    });

    it('DELETE /admin/rooms/:id/messages/:messageId reaches members on both instances, once per socket', async () => {
      const { bob, ada, roomId, adaA, bobB, cyA, danB, members } = await populated();
      const first = await send(adaA, roomId, 'first');
      const doomed = await send(bobB, roomId, 'doomed');
      const marker = await send(cyA, roomId, 'marker');
      const deleted = [...members, danB].map((s) => record(s, 'message:deleted'));
      const del = (node: ClusterNode, messageId: string) =>
        request(node.url)
          .delete(`/api/v1/admin/rooms/${roomId}/messages/${messageId}`)
          .set('Authorization', `Bearer ${admin}`);

      const arriving = members.map((s) => nextEvent(s, 'message:deleted'));
      await del(viaNode(), doomed.id as string).expect(204);
      expect(await Promise.all(arriving)).toEqual(members.map(() => ({ roomId, messageId: doomed.id })));
      expect((await history(a(), roomId, bob)).map((m) => m.id)).toEqual([first.id, marker.id]);
      expect((await history(b(), roomId, ada)).map((m) => m.id)).toEqual([first.id, marker.id]);

      const again = await del(otherNode(), doomed.id as string);
      expect(again.status).toBe(404);
      expect(again.body).toMatchObject({ code: 'NOT_FOUND' });

      // A second deletion through the same instance comes after the first on every socket.
      const markers = members.map((s) => nextEvent(s, 'message:deleted', (d: any) => d.messageId === marker.id));
      await del(viaNode(), marker.id as string).expect(204);
      await Promise.all(markers);
      expect(deleted).toEqual([
        ...members.map(() => [
          { roomId, messageId: doomed.id },
          { roomId, messageId: marker.id },
        ]),
        [],
      ]);
      expect((await history(otherNode(), roomId, bob)).map((m) => m.content)).toEqual(['first']);
    });

    it('POST /admin/announcements with roomId reaches that room on both instances, once per socket', async () => {
      const { bob, roomId, lobbyId, adaA, bobB, danB, eveA, members } = await populated();
      const beforeSeen = members.map((s) => nextEvent(s, 'message:new', (m: Message) => m.content === 'before'));
      const before = await send(bobB, roomId, 'before');
      await Promise.all(beforeSeen);
      const announcements = [...members, danB, eveA].map((s) => record<Announcement>(s, 'system:announcement'));
      const systemMessages = [...members, danB, eveA].map((s) => record<{ content: string }>(s, 'message:new'));
      const announced = members.map((s) => nextEvent(s, 'system:announcement'));
      const stored = members.map((s) => nextEvent(s, 'message:new', (m: Message) => m.kind === 'system'));

      const res = await announce(viaNode(), { content: 'Room maintenance', roomId }).expect(201);
      const { sentAt } = res.body as Announcement;
      expect(sentAt).toMatch(ISO);
      expect(res.body).toEqual({
        content: 'Room maintenance',
        roomId,
        sentAt,
        message: expect.objectContaining({ roomId, seq: before.seq + 1, kind: 'system', content: 'Room maintenance' }),
      });
      const announcement = { content: 'Room maintenance', roomId, sentAt };
      expect(await Promise.all(announced)).toEqual(members.map(() => announcement));
      expect(await Promise.all(stored)).toEqual(members.map(() => res.body.message));
      for (const node of [a(), b()]) {
        const items = await history(node, roomId, bob);
        expect(items.map((m) => [m.seq, m.kind, m.content])).toEqual([
          [before.seq, 'user', 'before'],
          [before.seq + 1, 'system', 'Room maintenance'],
        ]);
      }

      // Markers: a message in the lobby (after message:new) and an announcement to everyone from the
      // same instance (after system:announcement), seen by every socket.
      await sendSeen(adaA, lobbyId, 'after announcing', [...members, danB]);
      const markers = [...members, danB, eveA].map((s) =>
        nextEvent(s, 'system:announcement', (x: Announcement) => x.content === 'marker'),
      );
      await announce(viaNode(), { content: 'marker' }).expect(201);
      await Promise.all(markers);

      expect(announcements.map(contents)).toEqual([
        ...members.map(() => ['Room maintenance', 'marker']),
        ['marker'],
        ['marker'],
      ]);
      expect(systemMessages.map(contents)).toEqual([
        ...members.map(() => ['Room maintenance', 'after announcing']),
        ['after announcing'],
        [],
      ]);
    });

    it('POST /admin/announcements without roomId reaches every client on both instances, once', async () => {
      const { members, danB, eveA } = await populated();
      const sockets = [...members, danB, eveA];
      const seen = sockets.map((s) => record<Announcement>(s, 'system:announcement'));
      const arriving = sockets.map((s) => nextEvent<Announcement>(s, 'system:announcement'));

      const res = await announce(viaNode(), { content: 'Everyone: maintenance' }).expect(201);
      expect(res.body).toEqual({ content: 'Everyone: maintenance', sentAt: expect.stringMatching(ISO) });
      const announcement = { content: 'Everyone: maintenance', sentAt: res.body.sentAt };
      expect(await Promise.all(arriving)).toEqual(sockets.map(() => announcement));

      const markers = sockets.map((s) =>
        nextEvent(s, 'system:announcement', (x: Announcement) => x.content === 'marker'),
      );
      await announce(viaNode(), { content: 'marker' }).expect(201);
      await Promise.all(markers);
      expect(seen.map(contents)).toEqual(sockets.map(() => ['Everyone: maintenance', 'marker']));
    });
  });

  it('refuses bad announcements on either instance', async () => {
    for (const node of [a(), b()]) {
      for (const body of [{ content: ' ' }, { content: 'x'.repeat(2001) }, { content: 'hi', roomId: null }]) {
        const res = await announce(node, body);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      }
      const res = await announce(node, { content: 'hi', roomId: 'no-such-room' });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'ROOM_NOT_FOUND' });
    }
  });
});
