import { Redis } from 'ioredis';
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
