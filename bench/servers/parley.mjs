// Parley as an operator runs it: `node dist/main.js`, production mode, history and rate limits on.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launch } from './launch.mjs';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export const ADMIN = { username: 'bench', password: 'bench-admin-password-not-secret' };

/** Fixed for the run, so that guest tokens stay valid across Parley restarts. */
const JWT_SECRET = 'bench-jwt-secret-of-at-least-32-bytes-long';

/**
 * Limits raised because every client comes from a handful of 127.0.0.x addresses (a real
 * deployment sees one address per user): per-IP connection, handshake and HTTP caps.
 * MESSAGE_RATE_LIMIT and the socket token bucket stay at their defaults unless a scenario's
 * per-user rate needs more (see messageLimitOverrides).
 */
export const PER_IP_LIMIT_OVERRIDES = {
  MAX_CONNECTIONS_PER_IP: '1000000',
  HANDSHAKE_RATE_LIMIT: '1000000',
  AUTH_RATE_LIMIT: '1000000',
  HTTP_RATE_LIMIT: '1000000',
};

/** Parley's defaults for the per-user limits a sender meets (README "Configuration"). */
export const MESSAGE_LIMIT_DEFAULTS = {
  MESSAGE_RATE_LIMIT: 30,
  MESSAGE_RATE_WINDOW_SECONDS: 10,
  SOCKET_EVENT_BURST: 30,
  SOCKET_EVENTS_PER_SECOND: 10,
};

/**
 * The message limits to raise, if any, so that the busiest sender of a run (messages per second
 * per user, sent evenly) stays 20% under each limit: a benchmark must measure, not be throttled.
 * @param {number} perUserRate
 * @returns {Record<string, string>}
 */
export function messageLimitOverrides(perUserRate) {
  const d = MESSAGE_LIMIT_DEFAULTS;
  /** @type {Record<string, string>} */
  const raised = {};
  if (perUserRate * 1.25 > d.MESSAGE_RATE_LIMIT / d.MESSAGE_RATE_WINDOW_SECONDS) {
    raised.MESSAGE_RATE_LIMIT = String(Math.ceil(perUserRate * 1.25 * d.MESSAGE_RATE_WINDOW_SECONDS));
  }
  if (perUserRate * 1.25 > d.SOCKET_EVENTS_PER_SECOND) {
    raised.SOCKET_EVENTS_PER_SECOND = String(Math.ceil(perUserRate * 1.25));
    raised.SOCKET_EVENT_BURST = String(Math.max(d.SOCKET_EVENT_BURST, Math.ceil(perUserRate * 6)));
  }
  return raised;
}

/**
 * Starts one Parley instance.
 * @param {{ port: number, redisUrl?: string, overrides: Record<string, string>, label: string }} options
 */
export function startParley({ port, redisUrl, overrides, label }) {
  if (!existsSync(MAIN)) {
    throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  }
  return launch(MAIN, {
    port,
    label,
    env: {
      NODE_ENV: 'production',
      JWT_SECRET,
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      ...(redisUrl
        ? { CHAT_ENGINE: 'redis', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: 'bench:' }
        : { CHAT_ENGINE: 'memory' }),
      ...PER_IP_LIMIT_OVERRIDES,
      ...overrides,
    },
  });
}
