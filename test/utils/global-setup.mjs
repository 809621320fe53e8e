import { startRedis } from './redis-server.mjs';

/** One private redis-server for the whole run; test files isolate themselves with key prefixes. */
export default async function globalSetup() {
  const redis = await startRedis();
  process.env.PARLEY_TEST_REDIS_URL = redis.url;
  globalThis.parleyTestRedis = redis;
}
