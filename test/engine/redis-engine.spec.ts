import { Redis } from 'ioredis';
import type { InstanceInfo } from '../../src/engine/engine.types.js';
import { RedisEngine } from '../../src/engine/redis/redis.engine.js';
import { dropPrefix, testPrefix, testRedisUrl } from '../utils/redis.js';
import { runEngineContract } from './engine.contract.js';

runEngineContract('RedisEngine', async () => {
  const redis = new Redis(testRedisUrl(), { lazyConnect: true });
  const subscriber = new Redis(testRedisUrl(), { lazyConnect: true });
  await Promise.all([redis.connect(), subscriber.connect()]);
  const prefix = testPrefix();
  const engine = new RedisEngine(redis, prefix, 'test-instance', subscriber);
  await engine.refreshIncarnation();
  return {
    engine,
    instanceId: 'test-instance',
    dispose: async () => {
      await dropPrefix(redis, prefix);
      await engine.close();
    },
  };
});

describe('RedisEngine: instances of an earlier version', () => {
  const redis = new Redis(testRedisUrl(), { lazyConnect: true });
  const subscriber = new Redis(testRedisUrl(), { lazyConnect: true });
  const prefix = testPrefix();
  const engine = new RedisEngine(redis, prefix, 'test-instance', subscriber);
  beforeAll(() => Promise.all([redis.connect(), subscriber.connect()]));
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    await engine.close();
  });

  it('lists an instance whose heartbeat has no overload figure with 0 refusals', async () => {
    const now = Date.now();
    const earlier: Omit<InstanceInfo, 'overloadRefusalsLastMinute'> = {
      id: 'instance-old',
      host: 'host-a',
      pid: 1234,
      version: '0.0.9',
      startedAt: now - 1000,
      lastHeartbeat: now,
      connections: 3,
      memory: { rss: 1000, heapUsed: 500 },
      eventLoopLagMs: 1.5,
      users: 2,
      messagesLastMinute: 7,
    };
    await engine.heartbeat(earlier as InstanceInfo, 5000);
    expect(await engine.listInstances(now)).toEqual([{ ...earlier, overloadRefusalsLastMinute: 0 }]);
    expect(JSON.parse((await redis.get(`${prefix}instance:instance-old`)) ?? '{}')).toEqual(earlier);
  });
});
