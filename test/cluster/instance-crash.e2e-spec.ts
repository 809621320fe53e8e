import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { startApp, TEST_ENV, type TestApp } from '../utils/app.js';
import { connect, createRoom, emitAck, guest, nextEvent, record } from '../utils/clients.js';
import { testPrefix, testRedisUrl } from '../utils/redis.js';
import { freePort } from '../utils/redis-server.mjs';
import { exited, spawnServer, type ServerProcess } from '../utils/server-process.js';

/** Generous on purpose: the test asserts that the seat is released, not how fast. */
const REAP_TIMEOUT_MS = 10_000;

/** The next `event` that satisfies `match`, waiting up to `timeoutMs`. */
function eventWithin<T = any>(socket: Socket, event: string, match: (p: T) => boolean, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const handler = (payload: T): void => {
      if (match(payload)) {
        clearTimeout(timer);
        socket.off(event, handler);
        resolve(payload);
      }
    };
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on(event, handler);
  });
}

/**
 * API.md §1 and §4: `memberCount` and `maxUsers` count users across every instance. When an instance
 * dies without a goodbye (SIGKILL), the survivors release its users' seats once its registry entry
 * expires and tell the rooms `room:member-left {reason:"disconnected"}`.
 */
describe('cluster: an instance that crashes', () => {
  const cluster = {
    CHAT_ENGINE: 'redis',
    REDIS_KEY_PREFIX: testPrefix(),
    HEARTBEAT_INTERVAL_MS: '200',
    INSTANCE_TTL_MS: '1000',
  };
  let a: TestApp | undefined;
  let b: ServerProcess | undefined;
  const sockets: Socket[] = [];
  const open = async (url: string, token: string): Promise<Socket> => {
    const socket = await connect(url, token);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    const env = { ...cluster, REDIS_URL: testRedisUrl() };
    a = await startApp(env);
    b = await spawnServer({
      ...TEST_ENV,
      ...env,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      // "Listening on" is logged at level "log"; the output is only shown if the test fails.
      LOG_LEVEL: 'log',
      NO_COLOR: '1',
    });
  }, 30_000);

  afterAll(async () => {
    for (const socket of sockets) {
      socket.close();
    }
    const proc = b?.proc;
    if (proc?.pid !== undefined && proc.exitCode === null && proc.signalCode === null) {
      process.kill(proc.pid, 'SIGKILL');
    }
    await Promise.all([proc ? exited(proc) : undefined, a?.close()]);
  });

  it('releases the seats of a killed instance: member-left "disconnected", members list, maxUsers', async () => {
    const urlA = a!.url;
    const server = b!;
    const [ada, carl] = await Promise.all([guest(urlA, 'ada'), guest(urlA, 'carl')]);
    const bob = await guest(server.url, 'bob');
    const room = await createRoom(urlA, ada.accessToken, { maxUsers: 2 });
    const roomId = room.id as string;

    const onA = await open(urlA, ada.accessToken);
    expect(await emitAck(onA, 'room:join', { roomId })).toMatchObject({ ok: true });
    const left = record(onA, 'room:member-left');
    const bobArrived = nextEvent(onA, 'room:member-joined', (e) => e.user.id === bob.user.id);
    const onB = await open(server.url, bob.accessToken);
    expect(await emitAck(onB, 'room:join', { roomId })).toMatchObject({ ok: true, room: { memberCount: 2 } });
    expect(await bobArrived).toEqual({ roomId, user: bob.user, memberCount: 2 });
    const carlOnA = await open(urlA, carl.accessToken);
    const full = await emitAck(carlOnA, 'room:join', { roomId });
    expect(full).toMatchObject({ ok: false, error: { code: 'ROOM_FULL' } });

    const bobGone = eventWithin(onA, 'room:member-left', (e) => e.user.id === bob.user.id, REAP_TIMEOUT_MS);
    process.kill(server.proc.pid!, 'SIGKILL');
    await exited(server.proc);
    expect(await bobGone).toEqual({ roomId, user: bob.user, memberCount: 1, reason: 'disconnected' });

    const members = await request(urlA)
      .get(`/api/v1/rooms/${roomId}/members`)
      .set('Authorization', `Bearer ${ada.accessToken}`)
      .expect(200);
    expect(members.body).toEqual([ada.user]);
    const carlArrived = nextEvent(onA, 'room:member-joined', (e) => e.user.id === carl.user.id);
    expect(await emitAck(carlOnA, 'room:join', { roomId })).toMatchObject({ ok: true, room: { memberCount: 2 } });
    expect(await carlArrived).toEqual({ roomId, user: carl.user, memberCount: 2 });
    const detail = await request(urlA).get(`/api/v1/rooms/${roomId}`).expect(200);
    expect(detail.body).toMatchObject({ id: roomId, memberCount: 2 });
    // Announced once: the registry entry of the dead instance is reaped by one survivor, one time.
    expect(left).toEqual([{ roomId, user: bob.user, memberCount: 1, reason: 'disconnected' }]);
  });
});
