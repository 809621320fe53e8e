import type { Socket } from 'socket.io-client';
import {
  adminApi,
  adminToken,
  disconnected,
  expectError,
  pollUntil,
  walkPages,
  type AdminApi,
  type AdminClient,
  type Page,
} from './utils/admin.js';
import { createRoom, emitAck, guest, nextEvent, record, type AuthBody } from './utils/clients.js';
import { sendSeen } from './utils/cluster.js';
import { useChatApp } from './utils/harness.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type ClientPage = Page<AdminClient>;

let names = 0;
/** A username no other test uses, so that `q` isolates one test's sockets. */
const uniqueName = (base: string): string => `${base}-${(names += 1)}-${Date.now().toString(36)}`;

/** API.md §7: connected clients as the admin sees them, one instance (memory engine). */
describe('admin clients (single instance)', () => {
  const t = useChatApp();
  let admin: AdminApi;

  beforeAll(async () => {
    admin = adminApi(t.url, await adminToken(t.url));
  });

  const list = async (query: Record<string, string | number>): Promise<ClientPage> => {
    const res = await admin.get('/clients').query(query).expect(200);
    return res.body as ClientPage;
  };
  const ids = (page: ClientPage): string[] => page.items.map((c) => c.socketId);
  const one = (socketId: string) => admin.get(`/clients/${encodeURIComponent(socketId)}`);
  const kick = (socketId: string, reason?: string) =>
    admin.delete(`/clients/${encodeURIComponent(socketId)}`).query(reason === undefined ? {} : { reason });
  /** The registry forgets a socket as its disconnect is processed: read until it is gone (bounded). */
  const forgotten = async (socketId: string): Promise<number> =>
    (
      await pollUntil(
        () => one(socketId),
        (res) => res.status === 404,
      )
    ).status;

  /** ada (two tabs) and bob in a room, ada's first tab also in a lobby; all names share `tag`. */
  const populated = async () => {
    const tag = uniqueName('crew');
    const ada = await guest(t.url, `Ada ${tag}`);
    const bob = await guest(t.url, `bob ${tag}`);
    const room = await createRoom(t.url, ada.accessToken);
    const lobby = await createRoom(t.url, ada.accessToken, { name: 'lobby' });
    const ada1 = await t.open(ada);
    const ada2 = await t.open(ada);
    const bobS = await t.open(bob);
    for (const socket of [ada1, ada2, bobS]) {
      await t.join(socket, room.id);
    }
    await t.join(ada1, lobby.id);
    return { tag, ada, bob, roomId: room.id as string, lobbyId: lobby.id as string, ada1, ada2, bobS };
  };

  describe('GET /admin/clients', () => {
    it('lists every socket newest first with socketId, user, ip, instanceId, rooms and connectedAt', async () => {
      const before = Date.now();
      const { tag, ada, bob, roomId, lobbyId, ada1, ada2, bobS } = await populated();
      const after = Date.now();
      const instances = await admin.get('/instances').expect(200);
      const instanceId = (instances.body.items as { id: string }[])[0].id;

      const page = await list({ q: tag });
      expect(page.nextCursor).toBeNull();
      const seat = (socket: Socket, user: AuthBody, rooms: string[]): AdminClient => ({
        socketId: socket.id as string,
        user: user.user,
        ip: '127.0.0.1',
        instanceId,
        rooms: expect.arrayContaining(rooms) as string[],
        connectedAt: expect.stringMatching(ISO) as string,
      });
      expect(page.items).toEqual([
        seat(bobS, bob, [roomId]),
        seat(ada2, ada, [roomId]),
        seat(ada1, ada, [roomId, lobbyId]),
      ]);
      expect(page.items.map((c) => c.rooms.length)).toEqual([1, 1, 2]);
      for (const client of page.items) {
        expect(Object.keys(client).sort()).toEqual(['connectedAt', 'instanceId', 'ip', 'rooms', 'socketId', 'user']);
        const at = Date.parse(client.connectedAt);
        expect(at).toBeGreaterThanOrEqual(before);
        expect(at).toBeLessThanOrEqual(after);
      }
    });

    it('shows the rooms a socket is in now: a leave removes one, a join adds it back', async () => {
      const { roomId, lobbyId, ada1 } = await populated();
      expect(await emitAck(ada1, 'room:leave', { roomId: lobbyId })).toEqual({ ok: true });
      expect((await one(ada1.id as string).expect(200)).body.rooms).toEqual([roomId]);
      await t.join(ada1, lobbyId);
      expect([...(await one(ada1.id as string).expect(200)).body.rooms].sort()).toEqual([roomId, lobbyId].sort());
    });

    it('pages with limit=2: 5 sockets come each exactly once, newest first, nextCursor null at the end', async () => {
      const tag = uniqueName('pager');
      const sockets: Socket[] = [];
      for (let i = 0; i < 5; i += 1) {
        sockets.push(await t.open(await guest(t.url, `${tag} ${i}`)));
      }
      // Only the last page has no nextCursor (walkPages follows them until null).
      const { items, sizes } = await walkPages<AdminClient>(admin, '/clients', 2, { q: tag });
      expect(sizes).toEqual([2, 2, 1]);
      expect(items.map((c) => c.socketId)).toEqual(sockets.map((s) => s.id).reverse());
    });

    it('q matches a username fragment (A–Z case ignored), or equals a user id or an IP', async () => {
      const { tag, ada, ada1, ada2, bobS } = await populated();
      expect(ids(await list({ q: `ADA ${tag.toUpperCase()}` }))).toEqual([ada2.id, ada1.id]);
      expect(ids(await list({ q: ada.user.id }))).toEqual([ada2.id, ada1.id]);
      expect(ids(await list({ q: ada.user.id.slice(0, -1) }))).toEqual([]);
      const byIp = ids(await list({ q: '127.0.0.1', limit: 100 }));
      expect(byIp).toEqual(expect.arrayContaining([ada1.id, ada2.id, bobS.id]));
      expect(await list({ q: `${tag}-nobody` })).toEqual({ items: [], nextCursor: null });
    });

    it('roomId keeps the sockets seated in that room, until they leave', async () => {
      const { tag, roomId, lobbyId, ada1, ada2, bobS } = await populated();
      expect(ids(await list({ roomId }))).toEqual([bobS.id, ada2.id, ada1.id]);
      expect(ids(await list({ roomId: lobbyId, q: tag }))).toEqual([ada1.id]);
      expect(await emitAck(bobS, 'room:leave', { roomId })).toEqual({ ok: true });
      expect(ids(await list({ roomId }))).toEqual([ada2.id, ada1.id]);
      expect(await list({ roomId: 'no-such-room' })).toEqual({ items: [], nextCursor: null });
    });

    it.each([
      ['a malformed cursor', { cursor: 'not-a-cursor' }],
      ['limit=0', { limit: 0 }],
      ['limit=101', { limit: 101 }],
    ])('answers 400 VALIDATION_FAILED for %s', async (_label, query) => {
      expectError(await admin.get('/clients').query(query), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /admin/clients/:socketId', () => {
    it('answers the same connection as the listing, and 404 NOT_FOUND for an unknown socket', async () => {
      const { tag, ada1 } = await populated();
      const listed = (await list({ q: tag })).items.find((c) => c.socketId === ada1.id);
      expect((await one(ada1.id as string).expect(200)).body).toEqual(listed);
      expectError(await one('no-such-socket'), 404, 'NOT_FOUND');
    });

    it('forgets a socket once it disconnected: 404 and gone from the listing', async () => {
      const { tag, ada1, ada2, bobS } = await populated();
      const gone = disconnected(ada2);
      ada2.disconnect();
      expect(await gone).toBe('io client disconnect');
      expect(await forgotten(ada2.id as string)).toBe(404);
      expect(ids(await list({ q: tag }))).toEqual([bobS.id, ada1.id]);
    });
  });

  describe('DELETE /admin/clients/:socketId (kick)', () => {
    it('sends moderation:kicked, then disconnects; the room hears member-left "kicked"', async () => {
      const { tag, ada, roomId, ada1, ada2, bobS } = await populated();
      const firstTab = disconnected(ada2);
      await kick(ada2.id as string).expect(204); // ada keeps a tab: no member-left yet
      await firstTab;
      const events: string[] = [];
      ada1.on('moderation:kicked', () => events.push('moderation:kicked'));
      const kicked = nextEvent(ada1, 'moderation:kicked');
      const gone = disconnected(ada1).then((reason) => events.push(`disconnect: ${reason}`));
      const left = nextEvent(bobS, 'room:member-left');

      await kick(ada1.id as string, 'Flooding the room').expect(204);
      expect(await kicked).toEqual({ reason: 'Flooding the room' });
      await gone;
      expect(events).toEqual(['moderation:kicked', 'disconnect: io server disconnect']);
      expect(await left).toEqual({ roomId, user: ada.user, memberCount: 1, reason: 'kicked' });
      expect(await forgotten(ada1.id as string)).toBe(404);
      expect(ids(await list({ q: tag }))).toEqual([bobS.id]);
    });

    it('without a reason sends a default one', async () => {
      const { ada2 } = await populated();
      const kicked = nextEvent<{ reason: string }>(ada2, 'moderation:kicked');
      const gone = disconnected(ada2);
      await kick(ada2.id as string).expect(204);
      const { reason } = await kicked;
      expect(await kicked).toEqual({ reason: expect.any(String) });
      expect(reason.trim()).not.toBe('');
      expect(await gone).toBe('io server disconnect');
    });

    it('kicking one of two tabs does not take the user out of the room', async () => {
      const { ada, roomId, ada1, ada2, bobS } = await populated();
      const left = [ada1, bobS].map((s) => record(s, 'room:member-left'));
      const gone = disconnected(ada2);
      await kick(ada2.id as string).expect(204);
      expect(await gone).toBe('io server disconnect');
      // Once the kicked tab's seat is released, anything it caused has been emitted.
      await pollUntil(
        () => list({ roomId }),
        (page) => !ids(page).includes(ada2.id as string),
      );
      await sendSeen(bobS, roomId, 'still here?', [ada1, bobS]);
      expect(left).toEqual([[], []]);
      const members = await admin.get(`/rooms/${roomId}`).expect(200);
      expect((members.body.members as { id: string }[]).map((m) => m.id)).toContain(ada.user.id);
    });

    it('lets the kicked client come back', async () => {
      const { tag, ada, roomId, ada1, bobS } = await populated();
      const gone = disconnected(ada1);
      await kick(ada1.id as string).expect(204);
      await gone;
      const back = await t.open(ada);
      const joined = await t.join(back, roomId);
      expect(joined).toMatchObject({ ok: true, room: { id: roomId } });
      await sendSeen(back, roomId, 'I am back', [back, bobS]);
      await forgotten(ada1.id as string);
      expect(ids(await list({ q: `ada ${tag}` }))).toContain(back.id);
      expect(ids(await list({ q: `ada ${tag}` }))).not.toContain(ada1.id);
    });

    it('answers 404 NOT_FOUND for an unknown socket', async () => {
      expectError(await kick('no-such-socket'), 404, 'NOT_FOUND');
    });
  });

  describe('access', () => {
    it('answers 401 UNAUTHORIZED without a token or with a user token, and nobody is kicked', async () => {
      const { ada, ada1 } = await populated();
      const kicked = record(ada1, 'moderation:kicked');
      const socketId = encodeURIComponent(ada1.id as string);
      for (const api of [adminApi(t.url), adminApi(t.url, ada.accessToken)]) {
        expectError(await api.get('/clients'), 401, 'UNAUTHORIZED');
        expectError(await api.get(`/clients/${socketId}`), 401, 'UNAUTHORIZED');
        expectError(await api.delete(`/clients/${socketId}`), 401, 'UNAUTHORIZED');
      }
      await one(ada1.id as string).expect(200);
      expect(ada1.connected).toBe(true);
      expect(kicked).toEqual([]);
    });
  });
});
