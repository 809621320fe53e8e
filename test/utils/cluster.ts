import { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import { startApp, type TestApp } from './app.js';
import { connect, emitAck, nextEvent, type Ack, type AuthBody } from './clients.js';
import { dropPrefix, testPrefix, testRedisUrl } from './redis.js';

/** One running instance of the cluster. */
export interface ClusterNode {
  /** Base URL of this instance, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly app: TestApp;
  /** Connects to this instance's /chat and closes the socket after the current test. */
  open(authOrToken: AuthBody | string): Promise<Socket>;
}

export interface ClusterHarness {
  /** The instances, in boot order. */
  readonly nodes: readonly ClusterNode[];
  /** The Redis key prefix the instances share (unique to the enclosing describe). */
  readonly prefix: string;
  /** Emits `room:join` with an ack, expects `{ ok: true }` and returns the ack. */
  join(socket: Socket, roomId: string, extra?: Record<string, unknown>): Promise<Ack>;
}

/**
 * Declares the Jest hooks of the enclosing describe (or file): `size` real app instances boot
 * before its tests on one private Redis with one key prefix of their own (the redis engine, a fast
 * heartbeat, `env` on top), sockets opened through the nodes close after each test, and the apps
 * close (then the prefix is dropped) after the last one.
 */
export function useCluster(env: Record<string, string> = {}, size = 2): ClusterHarness {
  const prefix = testPrefix();
  const apps: TestApp[] = [];
  const sockets: Socket[] = [];

  const node = (index: number): ClusterNode => {
    const app = (): TestApp => {
      const running = apps[index];
      if (running === undefined) {
        throw new Error('useCluster: the apps are not running (use them inside a test or hook)');
      }
      return running;
    };
    return {
      get url() {
        return app().url;
      },
      get app() {
        return app();
      },
      open: async (authOrToken) => {
        const token = typeof authOrToken === 'string' ? authOrToken : authOrToken.accessToken;
        const socket = await connect(app().url, token);
        sockets.push(socket);
        return socket;
      },
    };
  };

  beforeAll(async () => {
    const clusterEnv = {
      CHAT_ENGINE: 'redis',
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      HEARTBEAT_INTERVAL_MS: '200',
      INSTANCE_TTL_MS: '1000',
      ...env,
    };
    for (let i = 0; i < size; i += 1) {
      apps.push(await startApp(clusterEnv));
    }
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) {
      socket.close();
    }
  });
  afterAll(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    const redis = new Redis(testRedisUrl());
    try {
      await dropPrefix(redis, prefix);
    } finally {
      redis.disconnect();
    }
  });

  return {
    nodes: Array.from({ length: size }, (_, i) => node(i)),
    prefix,
    join: async (socket, roomId, extra = {}) => {
      const ack = await emitAck(socket, 'room:join', { roomId, ...extra });
      expect(ack).toMatchObject({ ok: true });
      return ack;
    },
  };
}

/**
 * Sends a message and waits until every listed socket received it: events sent before it have then
 * had their chance to arrive, a way to check that nothing more came.
 */
export async function sendSeen(from: Socket, roomId: string, content: string, seenBy: Socket[]): Promise<void> {
  const seen = seenBy.map((s) => nextEvent(s, 'message:new', (m: { content: string }) => m.content === content));
  expect(await emitAck(from, 'message:send', { roomId, content })).toMatchObject({ ok: true });
  await Promise.all(seen);
}
