import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { adminToken } from './utils/admin.js';
import {
  createRoom,
  emitAck,
  guest,
  history as historyOf,
  nextEvent,
  record,
  sendOk,
  type AuthBody,
} from './utils/clients.js';
import { useChatApp } from './utils/harness.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type Message = Record<string, any>;

function expectError(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ statusCode: status, code });
  expect(typeof res.body.message).toBe('string');
}

/** API.md §4, §7: what clients observe when an admin closes rooms, deletes messages, announces. */
describe('admin moderation (single instance)', () => {
  const t = useChatApp();
  let admin: string;

  beforeAll(async () => {
    admin = await adminToken(t.url);
  });

  const asAdmin = (req: request.Test, token: string | undefined = admin): request.Test =>
    token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  const closeRoom = (roomId: string, token?: string) =>
    asAdmin(request(t.url).delete(`/api/v1/admin/rooms/${roomId}`), token);
  const deleteMessage = (roomId: string, messageId: string, token?: string) =>
    asAdmin(request(t.url).delete(`/api/v1/admin/rooms/${roomId}/messages/${messageId}`), token);
  const announce = (body: unknown, token?: string) =>
    asAdmin(request(t.url).post('/api/v1/admin/announcements'), token).send(body as object);
  const history = (roomId: string, user: AuthBody): Promise<Message[]> => historyOf(t.url, roomId, user);
  const send = sendOk;
  /** Sends a message and waits until every listed socket got it: anything emitted earlier has arrived. */
  const sendSeen = async (from: Socket, roomId: string, content: string, seenBy: Socket[]): Promise<void> => {
    const seen = seenBy.map((s) => nextEvent(s, 'message:new', (m: Message) => m.content === content));
    await send(from, roomId, content);
    await Promise.all(seen);
  };

  /** ada (owner, two tabs) and bob in a room; cy only in a lobby; dee connected but in no room. */
  const populated = async () => {
    const [ada, bob, cy, dee] = await Promise.all(['ada', 'bob', 'cy', 'dee'].map((name) => guest(t.url, name)));
    const [room, lobby] = await Promise.all([
      createRoom(t.url, ada.accessToken),
      createRoom(t.url, ada.accessToken, { name: 'lobby' }),
    ]);
    const [ada1, ada2, bobS, cyS, deeS] = await Promise.all([ada, ada, bob, cy, dee].map((u) => t.open(u)));
    const members = [ada1, ada2, bobS];
    for (const socket of members) {
      await t.join(socket, room.id);
    }
    for (const socket of [...members, cyS]) {
      await t.join(socket, lobby.id);
    }
    return { ada, bob, cy, roomId: room.id as string, lobbyId: lobby.id as string, ada1, bobS, cyS, deeS, members };
  };

  describe('DELETE /admin/rooms/:id', () => {
    it('answers 204; every member socket gets room:closed once; the room is gone', async () => {
      const { ada, roomId, lobbyId, ada1, bobS, cyS, members } = await populated();
      const closed = [...members, cyS].map((s) => record(s, 'room:closed'));
      const arriving = members.map((s) => nextEvent(s, 'room:closed'));

      await closeRoom(roomId).expect(204);
      expect(await Promise.all(arriving)).toEqual(members.map(() => ({ roomId, reason: 'closed-by-admin' })));

      await request(t.url)
        .get(`/api/v1/rooms/${roomId}`)
        .expect(404)
        .expect((res) => expect(res.body).toMatchObject({ code: 'ROOM_NOT_FOUND' }));
      expect(await emitAck(bobS, 'message:send', { roomId, content: 'anyone?' })).toEqual({
        ok: false,
        error: { code: 'ROOM_NOT_FOUND', message: expect.any(String) },
      });
      expectError(
        await request(t.url).get(`/api/v1/rooms/${roomId}/messages`).set('Authorization', `Bearer ${ada.accessToken}`),
        404,
        'ROOM_NOT_FOUND',
      );

      // Everything emitted before this message has arrived: one room:closed per member, none elsewhere.
      await sendSeen(ada1, lobbyId, 'after closing', [...members, cyS]);
      expect(closed).toEqual([...members.map(() => [{ roomId, reason: 'closed-by-admin' }]), []]);
    });

    it('answers 404 ROOM_NOT_FOUND for an unknown room, and again for a room already closed', async () => {
      expectError(await closeRoom('no-such-room'), 404, 'ROOM_NOT_FOUND');
      const ada = await guest(t.url, 'ada');
      const room = await createRoom(t.url, ada.accessToken);
      await closeRoom(room.id).expect(204);
      expectError(await closeRoom(room.id), 404, 'ROOM_NOT_FOUND');
    });

    it('answers 401 without a token or with a user token, and the room stays open', async () => {
      const ada = await guest(t.url, 'ada');
      const room = await createRoom(t.url, ada.accessToken);
      expectError(await request(t.url).delete(`/api/v1/admin/rooms/${room.id}`), 401, 'UNAUTHORIZED');
      expectError(await closeRoom(room.id, ada.accessToken), 401, 'UNAUTHORIZED');
      await request(t.url).get(`/api/v1/rooms/${room.id}`).expect(200);
    });
  });

  describe('DELETE /admin/rooms/:id/messages/:messageId', () => {
    it('answers 204; members get message:deleted once; the message leaves history, the others stay', async () => {
      const { bob, roomId, lobbyId, ada1, bobS, cyS, members } = await populated();
      const first = await send(ada1, roomId, 'first');
      const doomed = await send(bobS, roomId, 'doomed');
      const last = await send(ada1, roomId, 'last');
      const deleted = [...members, cyS].map((s) => record(s, 'message:deleted'));
      const arriving = members.map((s) => nextEvent(s, 'message:deleted'));

      await deleteMessage(roomId, doomed.id as string).expect(204);
      expect(await Promise.all(arriving)).toEqual(members.map(() => ({ roomId, messageId: doomed.id })));

      const items = await history(roomId, bob);
      expect(items.map((m) => m.id)).toEqual([first.id, last.id]);
      expect(items.map((m) => m.content)).toEqual(['first', 'last']);

      expectError(await deleteMessage(roomId, doomed.id as string), 404, 'NOT_FOUND');
      expectError(await deleteMessage(roomId, 'no-such-message'), 404, 'NOT_FOUND');
      expectError(await deleteMessage('no-such-room', doomed.id as string), 404, 'ROOM_NOT_FOUND');

      await sendSeen(ada1, lobbyId, 'after deleting', [...members, cyS]);
      expect(deleted).toEqual([...members.map(() => [{ roomId, messageId: doomed.id }]), []]);
      expect((await history(roomId, bob)).map((m) => m.id)).toEqual([first.id, last.id]);
    });

    it('answers 401 without a token or with a user token, and the message stays', async () => {
      const ada = await guest(t.url, 'ada');
      const room = await createRoom(t.url, ada.accessToken);
      const socket = await t.open(ada);
      await t.join(socket, room.id);
      const message = await send(socket, room.id, 'keep me');
      const path = `/api/v1/admin/rooms/${room.id}/messages/${message.id}`;
      expectError(await request(t.url).delete(path), 401, 'UNAUTHORIZED');
      expectError(await deleteMessage(room.id, message.id as string, ada.accessToken), 401, 'UNAUTHORIZED');
      expect((await history(room.id, ada)).map((m) => m.id)).toEqual([message.id]);
    });
  });

  describe('POST /admin/announcements', () => {
    it('to a room: 201; members get system:announcement and message:new (system, next seq); others do not', async () => {
      const { bob, roomId, lobbyId, ada1, cyS, deeS, members } = await populated();
      const before = await send(ada1, roomId, 'before');
      const outside = [cyS, deeS].map((s) => [record(s, 'system:announcement'), record(s, 'message:new')]);
      const announcements = members.map((s) => record(s, 'system:announcement'));
      const announced = members.map((s) => nextEvent(s, 'system:announcement'));
      const stored = members.map((s) => nextEvent(s, 'message:new', (m: Message) => m.kind === 'system'));

      const res = await announce({ content: 'Maintenance at 22:00', roomId }).expect(201);
      const { sentAt } = res.body as { sentAt: string };
      expect(sentAt).toMatch(ISO);
      const message = {
        id: expect.any(String),
        roomId,
        seq: before.seq + 1,
        userId: expect.any(String),
        username: expect.any(String),
        kind: 'system',
        content: 'Maintenance at 22:00',
        sentAt,
      };
      expect(res.body).toEqual({ content: 'Maintenance at 22:00', roomId, sentAt, message });

      const announcement = { content: 'Maintenance at 22:00', roomId, sentAt };
      expect(await Promise.all(announced)).toEqual(members.map(() => announcement));
      expect(await Promise.all(stored)).toEqual(members.map(() => res.body.message));

      const items = await history(roomId, bob);
      expect(items.map((m) => [m.seq, m.kind, m.content])).toEqual([
        [before.seq, 'user', 'before'],
        [before.seq + 1, 'system', 'Maintenance at 22:00'],
      ]);
      expect(items[1]).toEqual(res.body.message);

      // Later events have arrived (a message in cy's lobby, an announcement to everyone, which is the
      // only thing dee, in no room, can get): the room announcement reached its members once, and
      // neither cy nor dee.
      await sendSeen(ada1, lobbyId, 'after announcing', [...members, cyS]);
      const marker = [...members, cyS, deeS].map((s) =>
        nextEvent(s, 'system:announcement', (a: { content: string }) => a.content === 'marker'),
      );
      await announce({ content: 'marker' }).expect(201);
      await Promise.all(marker);
      const contents = (seen: { content: string }[]) => seen.map((a) => a.content);
      expect(announcements.map(contents)).toEqual(members.map(() => ['Maintenance at 22:00', 'marker']));
      expect(announcements.map((seen) => seen[0])).toEqual(members.map(() => announcement));
      expect(outside.map(([seen]) => contents(seen))).toEqual([['marker'], ['marker']]);
      expect(outside.map(([, messages]) => messages.map((m: Message) => m.content))).toEqual([
        ['after announcing'],
        [],
      ]);
    });

    it('to everyone: 201 {content, sentAt}; every connected client gets it without roomId, once', async () => {
      const { roomId, members, cyS, deeS } = await populated();
      const sockets = [...members, cyS, deeS];
      const messages = sockets.map((s) => record(s, 'message:new'));
      const all = sockets.map((s) => record(s, 'system:announcement'));
      const arriving = sockets.map((s) => nextEvent(s, 'system:announcement'));

      const res = await announce({ content: 'Hello, everyone' }).expect(201);
      expect(res.body).toEqual({ content: 'Hello, everyone', sentAt: expect.stringMatching(ISO) });
      const announcement = { content: 'Hello, everyone', sentAt: res.body.sentAt };
      expect(await Promise.all(arriving)).toEqual(sockets.map(() => announcement));

      // A second announcement marks the end: the first came once, and nothing went into any history.
      const markers = sockets.map((s) => nextEvent(s, 'system:announcement', (a: any) => a.content === 'marker'));
      await announce({ content: 'marker' }).expect(201);
      await Promise.all(markers);
      expect(all.map((seen) => seen.map((a: { content: string }) => a.content))).toEqual(
        sockets.map(() => ['Hello, everyone', 'marker']),
      );
      expect(all[0][0]).toEqual(announcement);
      expect(messages).toEqual(sockets.map(() => []));
      const room = await request(t.url).get(`/api/v1/rooms/${roomId}`).expect(200);
      expect(room.body.lastSeq).toBe(0);
    });

    it.each([
      ['blank content', { content: '   ' }],
      ['empty content', { content: '' }],
      ['content over 2000 characters', { content: 'x'.repeat(2001) }],
      ['missing content', {}],
      ['non-string content', { content: 42 }],
      ['a null roomId', { content: 'hi', roomId: null }],
      ['a non-string roomId', { content: 'hi', roomId: 7 }],
    ])('answers 400 VALIDATION_FAILED for %s', async (_label, body) => {
      expectError(await announce(body), 400, 'VALIDATION_FAILED');
    });

    it('accepts exactly 2000 characters; blank or too long content to a room is refused before the room', async () => {
      const ada = await guest(t.url, 'ada');
      const room = await createRoom(t.url, ada.accessToken);
      const res = await announce({ content: 'y'.repeat(2000), roomId: room.id }).expect(201);
      expect(res.body.message).toMatchObject({ seq: 1, kind: 'system' });
      expectError(await announce({ content: ' ', roomId: room.id }), 400, 'VALIDATION_FAILED');
      expectError(await announce({ content: 'z'.repeat(2001), roomId: room.id }), 400, 'VALIDATION_FAILED');
      expect((await request(t.url).get(`/api/v1/rooms/${room.id}`).expect(200)).body.lastSeq).toBe(1);
    });

    it('answers 404 ROOM_NOT_FOUND for an unknown roomId', async () => {
      expectError(await announce({ content: 'hi', roomId: 'no-such-room' }), 404, 'ROOM_NOT_FOUND');
    });

    it('answers 401 without a token or with a user token, and nobody hears it', async () => {
      const ada = await guest(t.url, 'ada');
      const socket = await t.open(ada);
      const seen = record(socket, 'system:announcement');
      expectError(await request(t.url).post('/api/v1/admin/announcements').send({ content: 'x' }), 401, 'UNAUTHORIZED');
      expectError(await announce({ content: 'x' }, ada.accessToken), 401, 'UNAUTHORIZED');
      const marker = nextEvent(socket, 'system:announcement', (a: { content: string }) => a.content === 'marker');
      await announce({ content: 'marker' }).expect(201);
      await marker;
      expect(seen.map((a: { content: string }) => a.content)).toEqual(['marker']);
    });
  });
});
