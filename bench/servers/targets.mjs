// A server under test, whatever it is: Parley, the bare Socket.IO baseline or the raw ws baseline,
// on one instance or on several sharing a Redis. The scenarios only see this interface.
import { fileURLToPath } from 'node:url';
import { sleep } from '../metrics/clock.mjs';
import { baselineHeapUsed, createRooms, guestTokens, parleyConnections, parleyHeapUsed } from '../load/parley-api.mjs';
import { cpuSeconds, rssBytes } from '../metrics/proc.mjs';
import { freePort, launch } from './launch.mjs';
import { startParley } from './parley.mjs';
import { startRedis } from './redis.mjs';

/** @typedef {'parley' | 'bare' | 'ws'} Kind */
/** @typedef {{ rooms: number, size: number }} Shape */
/** @typedef {{ id: number, url: string, token?: string, roomId: string }} ClientSpec */
/**
 * @typedef {object} Target
 * @property {Kind} kind
 * @property {'socket.io' | 'ws'} protocol  what the load workers speak to it
 * @property {number[]} serverPids  the instances
 * @property {number[]} pids  the instances and their Redis, if any (CPU is summed over these)
 * @property {(shape: Shape) => Promise<ClientSpec[]>} prepare  users and rooms for a room shape
 * @property {() => Promise<number>} heapUsed  summed over the instances
 * @property {() => number} rss  summed over the instances (Redis excluded)
 * @property {() => number} cpu  CPU seconds so far, summed over `pids`
 * @property {() => string[]} dead  labels of processes that exited
 * @property {() => Promise<void>} settled  resolves once the server has let go of the clients that closed
 * @property {() => Promise<void>} stop
 */

/** The longest `settled` waits for Parley to let go of closed clients. */
const SETTLE_TIMEOUT_MS = 120_000;

const SCRIPTS = {
  bare: fileURLToPath(new URL('./bare-socketio.mjs', import.meta.url)),
  ws: fileURLToPath(new URL('./raw-ws.mjs', import.meta.url)),
};

/**
 * @param {Kind} kind
 * @param {{ instances?: number, overrides?: Record<string, string> }} [options]
 * @returns {Promise<Target>}
 */
export async function startTarget(kind, { instances = 1, overrides = {} } = {}) {
  if (kind === 'ws' && instances > 1) {
    throw new Error('The raw ws baseline has no cluster mode');
  }
  const redis = instances > 1 ? await startRedis() : null;
  const servers = [];
  for (let i = 0; i < instances; i++) {
    const port = await freePort();
    const label = `${kind}#${i + 1}`;
    servers.push(
      kind === 'parley'
        ? await startParley({ port, redisUrl: redis?.url, overrides, label })
        : await launch(SCRIPTS[kind], { port, label, env: redis ? { REDIS_URL: redis.url } : {} }),
    );
  }
  const base = servers[0].url;
  const clientUrl = (/** @type {number} */ i) => {
    const url = servers[i % servers.length].url;
    return kind === 'ws' ? url.replace('http:', 'ws:') : url;
  };
  const serverPids = servers.map((s) => s.pid);
  const pids = redis ? [...serverPids, redis.pid] : serverPids;
  return {
    kind,
    protocol: kind === 'ws' ? 'ws' : 'socket.io',
    serverPids,
    pids,
    async prepare({ rooms, size }) {
      const count = rooms * size;
      if (kind !== 'parley') {
        return Array.from({ length: count }, (_, id) => ({
          id,
          url: clientUrl(id),
          roomId: `room-${Math.floor(id / size)}`,
        }));
      }
      const tokens = await guestTokens(base, count);
      const roomIds = await createRooms(base, rooms, size, (r) => tokens[r * size]);
      return tokens.map((token, id) => ({ id, url: clientUrl(id), token, roomId: roomIds[Math.floor(id / size)] }));
    },
    async heapUsed() {
      if (kind === 'parley') {
        return parleyHeapUsed(base);
      }
      const heaps = await Promise.all(servers.map((s) => baselineHeapUsed(s.url)));
      return heaps.reduce((a, b) => a + b, 0);
    },
    rss: () => serverPids.reduce((sum, pid) => sum + rssBytes(pid), 0),
    cpu: () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
    dead: () => servers.flatMap((s, i) => (s.alive() ? [] : [`${kind}#${i + 1}`])),
    async settled() {
      // Parley's presence work for a mass close (room:member-left to the members still there, for
      // every leave) can keep it busy for many seconds in 100-user rooms; the next shape's REST
      // set-up waits for it instead of timing out. The baselines let go at once.
      const deadline = Date.now() + SETTLE_TIMEOUT_MS;
      while (kind === 'parley' && Date.now() < deadline) {
        const connections = await parleyConnections(base);
        if (connections === 0) {
          return;
        }
        await sleep(500);
      }
      await sleep(500);
    },
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
      await redis?.stop();
    },
  };
}
