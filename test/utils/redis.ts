import { Redis } from 'ioredis';
import { newId } from '../../src/common/ids.js';

/** The private Redis of this test run (started by the Jest global setup). */
export function testRedisUrl(): string {
  const url = process.env.PARLEY_TEST_REDIS_URL;
  if (!url) {
    throw new Error('PARLEY_TEST_REDIS_URL is not set: run the tests through Jest (test/utils/global-setup.ts)');
  }
  if (url.endsWith(':6379')) {
    throw new Error('Refusing to run tests against the shared Redis on 6379');
  }
  return url;
}

/** A key prefix that no other test uses. */
export function testPrefix(): string {
  return `t:${newId()}:`;
}

/** Deletes every key under the prefix (SCAN, never KEYS). */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) {
      await redis.del(...keys);
    }
  } while (cursor !== '0');
}
