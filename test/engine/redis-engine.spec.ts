import { Redis } from 'ioredis';
import { RedisEngine } from '../../src/engine/redis/redis.engine.js';
import { dropPrefix, testPrefix, testRedisUrl } from '../utils/redis.js';
import { runEngineContract } from './engine.contract.js';

runEngineContract('RedisEngine', async () => {
  const redis = new Redis(testRedisUrl(), { lazyConnect: true });
  await redis.connect();
  const prefix = testPrefix();
  const engine = new RedisEngine(redis, prefix, 'test-instance');
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
