import { io, type Socket } from 'socket.io-client';
import {
  adminApi,
  adminToken,
  disconnected,
  expectBannedHandshake,
  expectError,
  pollUntil,
  type AdminClient,
  type Page,
} from '../utils/admin.js';
import { createRoom, guest, nextEvent, record } from '../utils/clients.js';
import { sendSeen, useCluster, type ClusterNode } from '../utils/cluster.js';

interface Stats {
  at: string;
  overview: { instances: number; connections: number };
  instances: { id: string }[];
}

let names = 0;
/** A name fragment no other test uses, so that `q` isolates one test's sockets. */
const uniqueTag = (): string => `crew${(names += 1)}x${Date.now().toString(36)}`;

/** API.md §7 with two instances on one Redis: clients, kicks, bans and the log span the cluster. */
describe('two instances: admin clients, kicks, bans and moderation log', () => {
  const cluster = useCluster({ HEARTBEAT_INTERVAL_MS: '200', INSTANCE_TTL_MS: '1000', ADMIN_LIVE_INTERVAL_MS: '250' });
  const a = (): ClusterNode => cluster.nodes[0];
  const b = (): ClusterNode => cluster.nodes[1];
  const consoles: Socket[] = [];
  let token: string;
  const api = (node: ClusterNode) => adminApi(node.url, token);

  beforeAll(async () => {
    token = await adminToken(a().url); // the admin key is the same on every instance
  });
  afterEach(() => {
    for (const socket of consoles.splice(0)) {
      socket.close();
    }
  });

  const list = async (node: ClusterNode, query: Record<string, string | number>): Promise<Page<AdminClient>> =>
    (await api(node).get('/clients').query(query).expect(200)).body as Page<AdminClient>;
  const kick = (node: ClusterNode, socketId: string, reason: string) =>
    api(node)
      .delete(`/clients/${encodeURIComponent(socketId)}`)
      .query({ reason });

  /** ada with a tab on each instance, bob on B and cy on A, all in one room; names share `tag`. */
  const populated = async () => {
    const tag = uniqueTag();
    const [ada, bob, cy] = await Promise.all(['ada', 'bob', 'cy'].map((n) => guest(a().url, `${n} ${tag}`)));
    const roomId = (await createRoom(b().url, ada.accessToken)).id as string;
    const adaA = await a().open(ada);
    const adaB = await b().open(ada);
    const bobB = await b().open(bob);
    const cyA = await a().open(cy);
    for (const socket of [adaA, adaB, bobB, cyA]) {
      await cluster.join(socket, roomId);
    }
    return { tag, ada, bob, cy, roomId, adaA, adaB, bobB, cyA };
  };

  describe('GET /admin/clients', () => {
    it('through either instance lists the sockets of both, each with the instance that holds it', async () => {
      const { tag, ada, bob, cy, roomId, adaA, adaB, bobB, cyA } = await populated();
      const instances = (await api(a()).get('/instances').expect(200)).body.items as {
        id: string;
        startedAt: string;
      }[];
      expect(instances).toHaveLength(2);
      // A booted first.
      const [idA, idB] = [...instances]
        .sort((x, y) => Date.parse(x.startedAt) - Date.parse(y.startedAt))
        .map((i) => i.id);

      const viaA = await list(a(), { q: tag });
      expect(viaA.nextCursor).toBeNull();
      expect(viaA.items.map((c) => [c.socketId, c.user.id, c.instanceId, c.ip, c.rooms])).toEqual([
        [cyA.id, cy.user.id, idA, '127.0.0.1', [roomId]],
        [bobB.id, bob.user.id, idB, '127.0.0.1', [roomId]],
        [adaB.id, ada.user.id, idB, '127.0.0.1', [roomId]],
        [adaA.id, ada.user.id, idA, '127.0.0.1', [roomId]],
      ]);
      expect(await list(b(), { q: tag })).toEqual(viaA);
      expect(await list(b(), { roomId })).toEqual(viaA);
      expect(
        (
          await api(b())
            .get(`/clients/${encodeURIComponent(adaA.id as string)}`)
            .expect(200)
        ).body,
      ).toEqual(viaA.items[3]);

      const pages: Page<AdminClient>[] = [await list(b(), { q: tag, limit: 1 })];
      for (let cursor = pages[0].nextCursor; cursor !== null; cursor = pages.at(-1)?.nextCursor ?? null) {
        pages.push(await list(a(), { q: tag, limit: 1, cursor }));
      }
      expect(pages.flatMap((p) => p.items)).toEqual(viaA.items);
    });
  });

  describe('DELETE /admin/clients/:socketId', () => {
    it('through A kicks a client on B; the room hears "kicked" on both instances', async () => {
      const { bob, roomId, adaA, adaB, bobB, cyA } = await populated();
      const socketId = bobB.id as string;
      const kicked = nextEvent(bobB, 'moderation:kicked');
      const gone = disconnected(bobB);
      const left = [adaA, adaB, cyA].map((s) => nextEvent(s, 'room:member-left'));

      await kick(a(), socketId, 'Calm down').expect(204);
      expect(await kicked).toEqual({ reason: 'Calm down' });
      expect(await gone).toBe('io server disconnect');
      const notice = { roomId, user: bob.user, memberCount: 2, reason: 'kicked' };
      expect(await Promise.all(left)).toEqual([notice, notice, notice]);
      const forgotten = await pollUntil(
        () => api(b()).get(`/clients/${encodeURIComponent(socketId)}`),
        (res) => res.status === 404,
      );
      expectError(forgotten, 404, 'NOT_FOUND');
      expectError(await kick(b(), socketId, 'again'), 404, 'NOT_FOUND');
    });
  });

  describe('bans', () => {
    it('a ban through A removes the user on both instances within a second; lifting through B lets them in', async () => {
      const { ada, roomId, adaA, adaB, bobB, cyA } = await populated();
      const noticed = [adaA, adaB].map((s) => nextEvent(s, 'moderation:banned'));
      const gone = [adaA, adaB].map((s) => disconnected(s, 1000));
      const left = [bobB, cyA].map((s) => record(s, 'room:member-left'));
      const leftOnce = [bobB, cyA].map((s) => nextEvent(s, 'room:member-left'));

      const res = await api(a()).post('/bans', { userId: ada.user.id, reason: 'Spam' }).expect(201);
      const banId = res.body.id as string;
      expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
      expect(await Promise.all(noticed)).toEqual([1, 2].map(() => ({ reason: 'Spam', until: null })));
      const notice = { roomId, user: ada.user, memberCount: 2, reason: 'banned' };
      expect(await Promise.all(leftOnce)).toEqual([notice, notice]);
      await sendSeen(bobB, roomId, 'after the ban', [bobB, cyA]);
      expect(left.map((seen) => seen.length)).toEqual([1, 1]);

      for (const node of [b(), a()]) {
        await expectBannedHandshake(node.url, ada.accessToken, null);
      }
      expect(((await api(b()).get('/bans').expect(200)).body as Page<{ id: string }>).items[0].id).toBe(banId);

      await api(b()).delete(`/bans/${banId}`).expect(204);
      await cluster.join(await a().open(ada), roomId);
      expect((await b().open(ada)).connected).toBe(true);
      expectError(await api(a()).delete(`/bans/${banId}`), 404, 'NOT_FOUND');
    });
  });

  describe('GET /admin/moderation-log', () => {
    it('read through B shows what was done through A (and B), newest first, as A shows it', async () => {
      const { ada, bobB } = await populated();
      const socketId = bobB.id as string;
      const gone = disconnected(bobB);
      await kick(a(), socketId, 'Calm down').expect(204);
      await gone;
      const ban = (await api(a()).post('/bans', { userId: ada.user.id, reason: 'Spam' }).expect(201)).body as {
        id: string;
      };
      await api(b()).delete(`/bans/${ban.id}`).expect(204);
      await api(a()).post('/announcements', { content: 'Hello from A' }).expect(201);

      const log = (await api(b()).get('/moderation-log').query({ limit: 4 }).expect(200)).body as Page<{
        action: string;
        actor: string;
        target: Record<string, string>;
        reason: string | null;
      }>;
      expect(log.items.map((e) => [e.actor, e.action, e.target, e.reason])).toEqual([
        ['admin', 'announcement', {}, 'Hello from A'],
        ['admin', 'ban.lifted', { banId: ban.id, userId: ada.user.id }, 'Spam'],
        ['admin', 'ban.created', { banId: ban.id, userId: ada.user.id }, 'Spam'],
        ['admin', 'client.kicked', expect.objectContaining({ socketId, ip: '127.0.0.1' }), 'Calm down'],
      ]);
      expect(log.nextCursor).not.toBeNull();
      expect((await api(a()).get('/moderation-log').query({ limit: 4 }).expect(200)).body).toEqual(log);
    });
  });

  describe('/admin namespace', () => {
    it('on B counts both instances, and a chat client connected to A', async () => {
      const console = io(`${b().url}/admin`, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      consoles.push(console);
      // Earlier tests' sockets are closed now, but a push can be a sample from before (the push on
      // connect is the latest one): wait for a sample taken two heartbeats from now.
      const settled = Date.now() + 2 * 200;
      const both = await nextEvent<Stats>(
        console,
        'admin:stats',
        (s) => Date.parse(s.at) >= settled && s.overview.instances === 2 && s.overview.connections === 0,
      );
      const ids = ((await api(a()).get('/instances').expect(200)).body.items as { id: string }[]).map((i) => i.id);
      expect(both.instances.map((i) => i.id).sort()).toEqual(ids.sort());

      await a().open(await guest(a().url, 'counted'));
      const counted = await nextEvent<Stats>(console, 'admin:stats', (s) => s.overview.connections > 0);
      expect(counted.overview).toMatchObject({ instances: 2, connections: 1 });
    });
  });
});
