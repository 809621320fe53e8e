import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { adminApi, adminToken, disconnected, pollUntil, refusal, type Page } from '../utils/admin.js';
import { createRoom, emitAck, guest, history, nextEvent, record, type Ack } from '../utils/clients.js';
import { useCluster, type ClusterNode } from '../utils/cluster.js';

const FAST_HEARTBEAT = { HEARTBEAT_INTERVAL_MS: '200', INSTANCE_TTL_MS: '1000' };
let names = 0;
/** A username no other test uses (the admin client listing filters on it). */
const uniqueName = (base: string): string => `${base}${(names += 1)}x${Date.now().toString(36)}`;

/** Refused sends in a row that end a connection (RATE_LIMIT_STRIKES). */
const STRIKES = 5;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The wait a refusal announces (API.md §6 `details.retryAfterMs`): positive, at most the window. */
function expectWait(retryAfterMs: unknown, windowMs: number): void {
  expect(retryAfterMs).toEqual(expect.any(Number));
  expect(retryAfterMs).toBeGreaterThan(0);
  expect(retryAfterMs).toBeLessThanOrEqual(windowMs);
}

/** README "Limits" with two instances on one Redis: the counters are the cluster's, not an instance's. */
describe('two instances: HTTP limits', () => {
  const cluster = useCluster({ ...FAST_HEARTBEAT, AUTH_RATE_LIMIT: '4', AUTH_RATE_WINDOW_SECONDS: '2' });
  const a = (): ClusterNode => cluster.nodes[0];
  const b = (): ClusterNode => cluster.nodes[1];
  const askGuest = (node: ClusterNode) => request(node.url).post('/api/v1/auth/guest').send({ username: 'ada' });

  it('AUTH_RATE_LIMIT counts /auth requests from one address on both instances together', async () => {
    const granted = [await askGuest(a()), await askGuest(a()), await askGuest(b()), await askGuest(b())];
    expect(granted.map((res) => res.status)).toEqual([201, 201, 201, 201]);

    let wait = 0;
    for (const node of [a(), b()]) {
      const refused = await askGuest(node);
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: expect.any(String),
        details: { retryAfterMs: expect.any(Number) },
      });
      wait = refused.body.details.retryAfterMs as number;
      expectWait(wait, 2000);
      // Retry-After is in whole seconds, rounded up.
      expect(refused.headers['retry-after']).toBe(String(Math.ceil(wait / 1000)));
    }
    const refusedAt = Date.now();
    // Not an auth route: only the (generous) general limit applies.
    await request(a().url).get('/api/v1/rooms').expect(200);
    await request(b().url).get('/api/v1/rooms').expect(200);

    // The window is fixed: once it ends (no later than Retry-After said), a new one starts.
    const again = await pollUntil(
      () => askGuest(b()),
      (res) => res.status !== 429,
      5000,
    );
    expect(again.status).toBe(201);
    expect(Date.now() - refusedAt).toBeLessThanOrEqual(wait + 500);
    // Racing requests on both instances: the counter is one atomic step, so exactly 3 more fit.
    const racing = await Promise.all([a(), b(), a(), b(), a()].map(askGuest));
    expect(racing.map((res) => res.status).sort()).toEqual([201, 201, 201, 429, 429]);
  });
});

describe('two instances: socket limits', () => {
  const cluster = useCluster({
    ...FAST_HEARTBEAT,
    MESSAGE_RATE_LIMIT: '4',
    MESSAGE_RATE_WINDOW_SECONDS: '2',
    MAX_CONNECTIONS_PER_USER: '2',
    RATE_LIMIT_STRIKES: String(STRIKES),
  });
  const a = (): ClusterNode => cluster.nodes[0];
  const b = (): ClusterNode => cluster.nodes[1];
  let admin: string;

  beforeAll(async () => {
    admin = await adminToken(a().url);
  });

  /** Sends until accepted, each time waiting as long as the refusal says (bounded: five tries). */
  const sendWhenAllowed = async (socket: Socket, roomId: string, content: string): Promise<Ack> => {
    for (let attempt = 1; ; attempt += 1) {
      const ack = await emitAck(socket, 'message:send', { roomId, content });
      if (ack.ok || attempt === 5) {
        return ack;
      }
      await sleep((ack.error?.details as { retryAfterMs: number }).retryAfterMs);
    }
  };

  it('MESSAGE_RATE_LIMIT holds for one user across instances; refused sends take no seq', async () => {
    const [ada, bob] = await Promise.all([guest(a().url, uniqueName('ada')), guest(b().url, uniqueName('bob'))]);
    const roomId = (await createRoom(a().url, ada.accessToken)).id as string;
    const [adaA, adaB, bobB] = await Promise.all([a().open(ada), b().open(ada), b().open(bob)]);
    for (const socket of [adaA, adaB, bobB]) {
      await cluster.join(socket, roomId);
    }
    const heard = record<{ content: string; seq: number }>(bobB, 'message:new');

    const acks: Ack[] = [];
    for (let i = 0; i < 8; i += 1) {
      acks.push(await emitAck(i % 2 === 0 ? adaA : adaB, 'message:send', { roomId, content: `m${i}` }));
    }
    expect(acks.slice(0, 4).map((ack) => [ack.ok, (ack.message as { seq: number }).seq])).toEqual([
      [true, 1],
      [true, 2],
      [true, 3],
      [true, 4],
    ]);
    for (const ack of acks.slice(4)) {
      expect(ack).toEqual({
        ok: false,
        error: { code: 'RATE_LIMITED', message: expect.any(String), details: { retryAfterMs: expect.any(Number) } },
      });
      expectWait((ack.error?.details as { retryAfterMs: number }).retryAfterMs, 2000);
    }
    for (const node of [a(), b()]) {
      const items = await history(node.url, roomId, bob);
      expect(items.map((m) => [m.seq, m.content])).toEqual([
        [1, 'm0'],
        [2, 'm1'],
        [3, 'm2'],
        [4, 'm3'],
      ]);
    }

    // The window slides: once the oldest send has left it, the user may send again, on either instance.
    const arrived = nextEvent(bobB, 'message:new', (m: { content: string }) => m.content === 'after the window');
    const later = await sendWhenAllowed(adaB, roomId, 'after the window');
    expect(later).toMatchObject({ ok: true, message: { seq: 5 } });
    await arrived;
    expect(heard.map((m) => [m.seq, m.content])).toEqual([
      [1, 'm0'],
      [2, 'm1'],
      [3, 'm2'],
      [4, 'm3'],
      [5, 'after the window'],
    ]);
    expect([adaA.connected, adaB.connected]).toEqual([true, true]);
  });

  it('RATE_LIMIT_STRIKES refusals in a row kick the socket; the room on the other instance hears "kicked"', async () => {
    const [eve, fay] = await Promise.all([guest(a().url, uniqueName('eve')), guest(b().url, uniqueName('fay'))]);
    const roomId = (await createRoom(b().url, fay.accessToken)).id as string;
    const [eveA, fayB] = await Promise.all([a().open(eve), b().open(fay)]);
    await cluster.join(fayB, roomId);
    await cluster.join(eveA, roomId);
    const refusals: Ack[] = [];
    for (let i = 0; i < 4 + STRIKES - 1; i += 1) {
      const ack = await emitAck(eveA, 'message:send', { roomId, content: `spam ${i}` });
      refusals.push(...(ack.ok ? [] : [ack]));
    }
    expect(refusals.map((ack) => ack.error?.code)).toEqual(Array(STRIKES - 1).fill('RATE_LIMITED'));
    expect(eveA.connected).toBe(true);

    const kicked = nextEvent<{ reason: string }>(eveA, 'moderation:kicked');
    const gone = disconnected(eveA);
    const left = nextEvent(fayB, 'room:member-left');
    eveA.emit('message:send', { roomId, content: 'the last straw' }, () => undefined);
    expect(await kicked).toEqual({ reason: expect.any(String) });
    expect(await gone).toBe('io server disconnect');
    expect(await left).toEqual({ roomId, user: eve.user, memberCount: 1, reason: 'kicked' });
  });

  it('MAX_CONNECTIONS_PER_USER counts the sockets of both instances; a closed one frees its slot', async () => {
    const username = uniqueName('cy');
    const cy = await guest(a().url, username);
    const onA = await a().open(cy);
    const onB = await b().open(cy);

    for (const node of [a(), b()]) {
      const refused = await refusal(node.url, cy.accessToken);
      expect(refused.message).toBe('RATE_LIMITED');
      expect(refused.data).toEqual({
        code: 'RATE_LIMITED',
        message: expect.any(String),
        retryAfterMs: expect.any(Number),
      });
      expect((refused.data as Record<string, unknown> | undefined)?.retryAfterMs).toBeGreaterThan(0);
    }

    const gone = disconnected(onA);
    onA.close();
    expect(await gone).toBe('io client disconnect');
    const listClients = async () =>
      (await adminApi(b().url, admin).get('/clients').query({ q: username }).expect(200)).body as Page<{
        socketId: string;
      }>;
    const listed = await pollUntil(listClients, (page) => page.items.length < 2);
    expect(listed.items.map((c) => c.socketId)).toEqual([onB.id]);

    const onAAgain = await a().open(cy);
    expect(onAAgain.connected).toBe(true);
    expect((await refusal(b().url, cy.accessToken)).message).toBe('RATE_LIMITED');
  });

  it('MAX_CONNECTIONS_PER_USER holds when handshakes race on both instances', async () => {
    const username = uniqueName('dan');
    const dan = await guest(a().url, username);
    const attempts = await Promise.allSettled([a(), b(), a(), b(), a(), b()].map((node) => node.open(dan)));
    const refusals = attempts.flatMap((x) => (x.status === 'rejected' ? [(x.reason as Error).message] : []));
    expect(refusals).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    const listed = await adminApi(a().url, admin).get('/clients').query({ q: username }).expect(200);
    expect((listed.body as Page<unknown>).items).toHaveLength(2);
  });
});
