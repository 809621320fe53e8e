import type { Socket } from 'socket.io-client';
import { runInThisContext } from 'node:vm';
import request from 'supertest';
import { startApp, type TestApp } from '../utils/app.js';
import { connect, createRoom, emitAck, guest, nextEvent, record, type AuthBody } from '../utils/clients.js';
import { testPrefix } from '../utils/redis.js';
import { startRedis, type TestRedis } from '../utils/redis-server.mjs';

/** Readiness has no event to await: it is polled, within this bound. */
const RECOVERY_TIMEOUT_MS = 15_000;
const POLL_MS = 100;
const INSTANCE_TTL_MS = 1000;
/** Long enough for every heartbeat of INSTANCE_TTL_MS to fail. */
const OUTAGE_MS = 2.5 * INSTANCE_TTL_MS;
/** Longer than the 20 reconnection attempts (about 15.5 s) after which ioredis fails queued commands. */
const LONG_OUTAGE_MS = 17_000;

/**
 * The process Node reports unhandled rejections to. Jest gives each test file a copy of `process`
 * whose listeners Node never calls; code run in the main context still sees the real one.
 */
const nodeProcess = runInThisContext('process') as NodeJS.Process;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls GET /health/ready until it answers 200; fails with the last answer after the bound. */
async function readyAgain(url: string): Promise<void> {
  const deadline = Date.now() + RECOVERY_TIMEOUT_MS;
  let last: unknown;
  while (Date.now() < deadline) {
    const res = await request(url).get('/health/ready');
    if (res.status === 200) {
      return;
    }
    last = { status: res.status, body: res.body };
    await pause(POLL_MS);
  }
  throw new Error(`${url} not ready within ${RECOVERY_TIMEOUT_MS} ms; last answer: ${JSON.stringify(last)}`);
}

/**
 * API.md §4–§6 and §8 while Redis is down: the process stays up, readiness says the engine is down,
 * requests fail fast with UNAVAILABLE instead of hanging, and everything comes back by itself when
 * Redis does, without losing or duplicating an acknowledged message.
 */
describe('cluster: a Redis outage', () => {
  let redis: TestRedis | undefined;
  const apps: TestApp[] = [];
  const sockets: Socket[] = [];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  const open = async (app: TestApp, auth: AuthBody): Promise<Socket> => {
    const socket = await connect(app.url, auth.accessToken);
    sockets.push(socket);
    return socket;
  };

  /** ada on the first instance and bob on the second, both joined to a new room. */
  const twoMembers = async (roomBody: Record<string, unknown> = {}) => {
    const [one, two] = apps;
    const [ada, bob] = await Promise.all([guest(one.url, 'ada'), guest(two.url, 'bob')]);
    const roomId = (await createRoom(one.url, ada.accessToken, roomBody)).id as string;
    const a = await open(one, ada);
    const b = await open(two, bob);
    for (const socket of [a, b]) {
      expect(await emitAck(socket, 'room:join', { roomId })).toMatchObject({ ok: true });
    }
    return { ada, bob, roomId, a, b };
  };

  beforeAll(async () => {
    nodeProcess.on('unhandledRejection', onRejection);
    // Persistent (every write fsynced), so a restart loses nothing: what is tested is the outage.
    redis = await startRedis({ persistent: true });
    const env = {
      CHAT_ENGINE: 'redis',
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: testPrefix(),
      HEARTBEAT_INTERVAL_MS: '200',
      INSTANCE_TTL_MS: String(INSTANCE_TTL_MS),
    };
    apps.push(await startApp(env), await startApp(env));
  }, 30_000);

  afterAll(async () => {
    for (const socket of sockets) {
      socket.close();
    }
    await Promise.all(apps.map((app) => app.close()));
    await redis?.dispose();
    nodeProcess.off('unhandledRejection', onRejection);
  });

  it('fails fast with UNAVAILABLE while Redis is down and recovers by itself, history intact', async () => {
    const [one, two] = apps;
    const { ada, bob, roomId, a, b } = await twoMembers();
    const leftOnA = record(a, 'room:member-left');
    const leftOnB = record(b, 'room:member-left');
    const acked: Array<{ seq: number; content: string }> = [];
    /** Sends from `from` and waits until `to`, a member on the other instance, received it. */
    const say = async (from: Socket, to: Socket, content: string, clientMsgId?: string): Promise<void> => {
      const seen = nextEvent(to, 'message:new', (m) => m.content === content);
      seen.catch(() => undefined); // awaited below, unless the ack already failed the test
      const ack = await emitAck(from, 'message:send', { roomId, content, clientMsgId });
      expect(ack).toMatchObject({ ok: true, message: { content } });
      acked.push({ seq: (ack.message as { seq: number }).seq, content });
      await seen;
    };
    await say(a, b, 'before 1');
    await say(b, a, 'before 2');
    await say(a, b, 'before 3');

    await redis!.stop();

    for (const app of apps) {
      await request(app.url).get('/health/live').expect(200);
      const ready = await request(app.url).get('/health/ready').expect(503);
      expect(ready.body).toMatchObject({
        status: 'error',
        error: { engine: { status: 'down' } },
        statusCode: 503,
        code: 'UNAVAILABLE',
      });
      await request(app.url)
        .get(`/api/v1/rooms/${roomId}`)
        .expect(503)
        .expect((res) => expect(res.body).toMatchObject({ statusCode: 503, code: 'UNAVAILABLE' }));
    }
    // emitAck gives up after 5 s: an answer at all means the server did not hang.
    const refused = await emitAck(a, 'message:send', { roomId, content: 'during', clientMsgId: 'during-1' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.any(String) } });
    expect(await emitAck(b, 'message:send', { roomId, content: 'during too' })).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });

    // The outage lasts (there is no event to await): every instance misses its heartbeats.
    await pause(OUTAGE_MS);
    await redis!.start();
    await Promise.all(apps.map((app) => readyAgain(app.url)));

    expect([a.connected, b.connected]).toEqual([true, true]);
    // The refused message took no seq; retrying it with its clientMsgId stores it once now.
    await say(a, b, 'during', 'during-1');
    await say(b, a, 'after 1');
    await say(a, b, 'after 2');

    const history = await request(two.url)
      .get(`/api/v1/rooms/${roomId}/messages?limit=100`)
      .set('Authorization', `Bearer ${bob.accessToken}`)
      .expect(200);
    const items = history.body.items as Array<{ seq: number; content: string }>;
    expect(items.map(({ seq, content }) => ({ seq, content }))).toEqual(
      ['before 1', 'before 2', 'before 3', 'during', 'after 1', 'after 2'].map((content, i) => ({
        seq: i + 1,
        content,
      })),
    );
    expect(acked.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    // Nobody left: an instance that was silent only because Redis was down is not dead. Reaping it
    // would happen within one INSTANCE_TTL_MS of the recovery, so absence is checked after that.
    await pause(INSTANCE_TTL_MS + 500);
    expect([...leftOnA, ...leftOnB]).toEqual([]);
    const members = await request(one.url)
      .get(`/api/v1/rooms/${roomId}/members`)
      .set('Authorization', `Bearer ${ada.accessToken}`)
      .expect(200);
    expect(members.body).toEqual(expect.arrayContaining([ada.user, bob.user]));
    expect(members.body).toHaveLength(2);
    await request(one.url)
      .get(`/api/v1/rooms/${roomId}`)
      .expect(200)
      .expect((res) => expect(res.body).toMatchObject({ memberCount: 2, lastSeq: 6 }));
    expect(rejections).toEqual([]);
  });

  it('releases the seat of a socket that disconnected while Redis was down, once Redis is back', async () => {
    const [one] = apps;
    const { ada, bob, roomId, a, b } = await twoMembers({ maxUsers: 2 });

    await redis!.stop();
    b.close();
    await redis!.start();
    const left = await nextEvent(a, 'room:member-left', (e) => e.user.id === bob.user.id, 15_000);
    expect(left).toEqual({ roomId, user: bob.user, memberCount: 1, reason: 'disconnected' });
    const members = await request(one.url)
      .get(`/api/v1/rooms/${roomId}/members`)
      .set('Authorization', `Bearer ${ada.accessToken}`)
      .expect(200);
    expect(members.body).toEqual([ada.user]);
    expect(rejections).toEqual([]);
  }, 30_000);

  it('keeps a socket in the room when its leave could not be stored, so the leave can be retried', async () => {
    const { bob, roomId, a, b } = await twoMembers();
    await redis!.stop();
    expect(await emitAck(b, 'room:leave', { roomId })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    await redis!.start();
    await Promise.all(apps.map((app) => readyAgain(app.url)));
    const left = nextEvent(a, 'room:member-left', (e) => e.user.id === bob.user.id);
    expect(await emitAck(b, 'room:leave', { roomId })).toEqual({ ok: true });
    expect(await left).toEqual({ roomId, user: bob.user, memberCount: 1, reason: 'left' });
    expect(rejections).toEqual([]);
  }, 30_000);

  it('changes every epoch after a Redis restart, so a rejoin with since answers recovered:false', async () => {
    const [one] = apps;
    const ada = await guest(one.url, 'ada');
    const room = await createRoom(one.url, ada.accessToken);
    const roomId = room.id as string;
    const a = await open(one, ada);
    const joined = await emitAck(a, 'room:join', { roomId });
    const before = (joined.room as { epoch: string }).epoch;
    const sent = await emitAck(a, 'message:send', { roomId, content: 'kept' });
    expect(sent).toMatchObject({ ok: true, message: { seq: 1 } });
    // Unchanged while Redis runs: a rejoin recovers.
    expect(await emitAck(a, 'room:join', { roomId, since: { seq: 1, epoch: before } })).toMatchObject({
      recovered: true,
    });

    await redis!.stop();
    await redis!.start();
    await readyAgain(one.url);
    // The restart may have lost writes (not this persistent one, but Parley cannot tell): the epoch
    // changes, and a client that trusted its old position is told to reload.
    const after = await request(one.url).get(`/api/v1/rooms/${roomId}`).expect(200);
    expect(after.body.epoch).not.toBe(before);
    expect(after.body.lastSeq).toBe(1);
    const rejoined = await emitAck(a, 'room:join', { roomId, since: { seq: 1, epoch: before } });
    expect(rejoined).toMatchObject({ ok: true, recovered: false, messages: [{ seq: 1, content: 'kept' }] });
    expect(rejections).toEqual([]);
  }, 30_000);

  it('stays up through an outage longer than the Redis clients’ retry budget, broadcasts pending', async () => {
    const [, two] = apps;
    const { bob, roomId, a, b } = await twoMembers();

    await redis!.stop();
    // Typing needs no stored state: it is broadcast (through Redis) while Redis is down.
    expect(await emitAck(b, 'room:typing', { roomId, typing: true })).toEqual({ ok: true });
    // ioredis fails a waiting command after 20 reconnection attempts (about 16 s with Parley's
    // back-off); nothing may turn that into an unhandled rejection, which would end the process.
    await pause(LONG_OUTAGE_MS);
    expect(rejections).toEqual([]);
    for (const app of apps) {
      await request(app.url).get('/health/live').expect(200);
      await request(app.url).get('/health/ready').expect(503);
    }

    await redis!.start();
    await Promise.all(apps.map((app) => readyAgain(app.url)));
    expect([a.connected, b.connected]).toEqual([true, true]);
    const seen = nextEvent(b, 'message:new', (m) => m.content === 'still here');
    seen.catch(() => undefined); // awaited below, unless the ack already failed the test
    expect(await emitAck(a, 'message:send', { roomId, content: 'still here' })).toMatchObject({ ok: true });
    await seen;
    const members = await request(two.url)
      .get(`/api/v1/rooms/${roomId}/members`)
      .set('Authorization', `Bearer ${bob.accessToken}`)
      .expect(200);
    expect(members.body).toHaveLength(2);
    expect(rejections).toEqual([]);
  }, 60_000);
});
