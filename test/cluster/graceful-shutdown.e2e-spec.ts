import request from 'supertest';
import { startApp, type TestApp } from '../utils/app.js';
import { adminToken } from '../utils/admin.js';
import { connect, createRoom, guest, nextEvent } from '../utils/clients.js';
import { useCluster } from '../utils/cluster.js';
import { testRedisUrl } from '../utils/redis.js';

/**
 * An instance that is told to stop (SIGTERM runs the same app.close()) hands its clients over:
 * their connections close like a network drop (socket.io-client reconnects by itself), it leaves
 * the registry at once and its users leave their rooms on the other instances, within the bound.
 */
describe('cluster: an instance shutting down', () => {
  const cluster = useCluster({ HEARTBEAT_INTERVAL_MS: '200', INSTANCE_TTL_MS: '5000' }, 1);
  let leaving: TestApp;
  let closed = false;

  beforeAll(async () => {
    leaving = await startApp({
      CHAT_ENGINE: 'redis',
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: cluster.prefix,
      HEARTBEAT_INTERVAL_MS: '200',
      INSTANCE_TTL_MS: '5000',
      SHUTDOWN_TIMEOUT_MS: '2000',
    });
  });

  afterAll(async () => {
    if (!closed) {
      await leaving.close();
    }
  });

  it('closes its clients reconnectably, leaves the registry and the rooms at once, within SHUTDOWN_TIMEOUT_MS', async () => {
    const [a] = cluster.nodes;
    const [ada, bob] = await Promise.all([guest(a.url, 'ada'), guest(leaving.url, 'bob')]);
    const roomId = (await createRoom(a.url, ada.accessToken)).id as string;
    const onA = await a.open(ada);
    const onLeaving = await connect(leaving.url, bob.accessToken);
    await cluster.join(onA, roomId);
    await cluster.join(onLeaving, roomId);
    const admin = await adminToken(a.url);
    const instances = async (): Promise<number> =>
      (await request(a.url).get('/api/v1/admin/instances').set('Authorization', `Bearer ${admin}`).expect(200)).body
        .items.length as number;
    expect(await instances()).toBe(2);

    const dropped = new Promise<string>((resolve) => onLeaving.once('disconnect', resolve));
    const left = nextEvent(onA, 'room:member-left', (e: { user: { id: string } }) => e.user.id === bob.user.id);
    const started = Date.now();
    await leaving.close();
    closed = true;
    const took = Date.now() - started;
    onLeaving.close();

    // "transport close": socket.io-client's reconnection takes over (the balancer sends it elsewhere).
    expect(await dropped).toBe('transport close');
    expect(await left).toMatchObject({ roomId, user: bob.user, memberCount: 1, reason: 'disconnected' });
    // Gone from the registry at once, not after INSTANCE_TTL_MS (5 s).
    expect(await instances()).toBe(1);
    const clients = await request(a.url).get('/api/v1/admin/clients').set('Authorization', `Bearer ${admin}`);
    expect(clients.body.items.map((c: { socketId: string }) => c.socketId)).toEqual([onA.id]);
    expect(took).toBeLessThan(2000 + 1000);
  });
});
