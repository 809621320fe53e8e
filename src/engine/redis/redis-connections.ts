import { Logger } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';

/** How long a boot waits for Redis before giving up. */
const CONNECT_TIMEOUT_MS = 10_000;
/** A command that gets no answer within this time fails (UNAVAILABLE) instead of hanging. */
const COMMAND_TIMEOUT_MS = 2000;

/**
 * Options of the engine's command connection: while Redis is unreachable, commands fail at once
 * (no offline queue) so that clients get UNAVAILABLE instead of waiting; reconnection never stops.
 * Commands issued in the same tick of the event loop (the sends of many sockets) go out as one
 * pipeline: one write and one read for all of them instead of one each.
 */
const COMMAND_OPTIONS: RedisOptions = {
  lazyConnect: true,
  enableAutoPipelining: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: COMMAND_TIMEOUT_MS,
  connectTimeout: CONNECT_TIMEOUT_MS,
  retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000),
};

/**
 * Pub/sub connections re-subscribe by themselves after a reconnect. Their commands wait for Redis
 * however long it is down (no retry limit): the Socket.IO adapter publishes without handling the
 * result, so a command failed after N retries would be an unhandled rejection that ends the process.
 */
const PUBSUB_OPTIONS: RedisOptions = {
  lazyConnect: true,
  maxRetriesPerRequest: null,
  connectTimeout: CONNECT_TIMEOUT_MS,
  retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000),
};

function watch(client: Redis, name: string): Redis {
  const logger = new Logger(`Redis:${name}`);
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) {
      logger.warn(`Connection problem: ${error.message}`);
    }
    down = true;
  });
  client.on('ready', () => {
    if (down) {
      logger.log('Connection restored');
    }
    down = false;
  });
  return client;
}

/** Opens a connection and waits until it is ready; a Redis that cannot be reached stops the boot. */
export async function openRedis(url: string, kind: 'command' | 'pubsub', name: string): Promise<Redis> {
  const client = watch(new Redis(url, kind === 'command' ? COMMAND_OPTIONS : PUBSUB_OPTIONS), name);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new Error(
      `Redis at ${redactUrl(url)} is unreachable: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return client;
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*):([^@/]*)@/, '//$1:***@');
}
