// Parley's REST API as the load generator uses it: guest tokens, rooms, the admin memory figure.
import { ADMIN } from '../servers/parley.mjs';

/**
 * Runs `task(i)` for i in [0, count) with at most `concurrency` at once.
 * @template T
 * @param {number} count
 * @param {number} concurrency
 * @param {(i: number) => Promise<T>} task
 * @returns {Promise<T[]>}
 */
export async function pooled(count, concurrency, task) {
  /** @type {T[]} */
  const results = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return results;
}

/**
 * POSTs JSON and returns the parsed answer; throws on a non-2xx status.
 * @param {string} url
 * @param {unknown} body
 * @param {string} [token]
 */
async function post(url, body, token) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) {
    throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(json)}`);
  }
  return json;
}

/** Guest tokens already minted in this run, by user index (the JWT secret is fixed for the run). */
const tokens = /** @type {string[]} */ ([]);

/**
 * Guest tokens for users 0..count-1 (POST /api/v1/auth/guest), minting only the missing ones.
 * @param {string} baseUrl
 * @param {number} count
 */
export async function guestTokens(baseUrl, count) {
  const start = tokens.length;
  if (count > start) {
    const minted = await pooled(count - start, 16, async (i) => {
      const answer = await post(`${baseUrl}/api/v1/auth/guest`, { username: `bench-${start + i}` });
      return /** @type {string} */ (answer.accessToken);
    });
    tokens.push(...minted);
  }
  return tokens.slice(0, count);
}

/**
 * Creates `count` rooms of `maxUsers` seats, each owned by the given token (POST /api/v1/rooms).
 * @param {string} baseUrl
 * @param {number} count
 * @param {number} maxUsers
 * @param {(i: number) => string} ownerToken
 * @returns {Promise<string[]>} room ids
 */
export function createRooms(baseUrl, count, maxUsers, ownerToken) {
  return pooled(count, 16, async (i) => {
    const room = await post(
      `${baseUrl}/api/v1/rooms`,
      { name: `bench room ${i}`, maxUsers: Math.max(2, maxUsers), ttlSeconds: 3600 },
      ownerToken(i),
    );
    return /** @type {string} */ (room.id);
  });
}

/**
 * heapUsed of every live instance, summed, from GET /api/v1/admin/instances (each instance's
 * last heartbeat, up to HEARTBEAT_INTERVAL_MS old).
 * @param {string} baseUrl
 */
export async function parleyHeapUsed(baseUrl) {
  const { accessToken } = await post(`${baseUrl}/api/v1/admin/login`, ADMIN);
  const res = await fetch(`${baseUrl}/api/v1/admin/instances`, { headers: { authorization: `Bearer ${accessToken}` } });
  const { items } = /** @type {{ items: { memory: { heapUsed: number } }[] }} */ (await res.json());
  return items.reduce((sum, item) => sum + item.memory.heapUsed, 0);
}

/**
 * Connections of every live instance, summed (GET /api/v1/admin/instances, each instance's last
 * heartbeat); null when Parley does not answer within 5 s.
 * @param {string} baseUrl
 * @returns {Promise<number | null>}
 */
export async function parleyConnections(baseUrl) {
  try {
    const signal = AbortSignal.timeout(5000);
    const login = await fetch(`${baseUrl}/api/v1/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
      signal,
    });
    const { accessToken } = /** @type {{ accessToken: string }} */ (await login.json());
    const res = await fetch(`${baseUrl}/api/v1/admin/instances`, {
      headers: { authorization: `Bearer ${accessToken}` },
      signal,
    });
    const { items } = /** @type {{ items: { connections: number }[] }} */ (await res.json());
    return items.reduce((sum, item) => sum + item.connections, 0);
  } catch {
    return null;
  }
}

/**
 * heapUsed of a baseline server (GET /bench/memory).
 * @param {string} baseUrl
 */
export async function baselineHeapUsed(baseUrl) {
  const res = await fetch(`${baseUrl}/bench/memory`);
  return /** @type {{ heapUsed: number }} */ (await res.json()).heapUsed;
}
