// Scenario (a): ramp to N connections, each joined to its room, then hold them idle.
import { sleep } from '../metrics/clock.mjs';

/** @typedef {import('../load/coordinator.mjs').LoadPool} LoadPool */
/** @typedef {import('../servers/targets.mjs').Target} Target */

const kib = (/** @type {number} */ bytes) => Math.round((bytes / 1024) * 10) / 10;

/**
 * Memory and idle CPU per connection. RSS comes from /proc, heap from the server's own figures
 * (Parley: admin /instances, from its last heartbeat; baselines: process.memoryUsage()); no GC is
 * forced, so both include garbage not yet collected.
 * @param {LoadPool} pool  with no connection yet
 * @param {Target} target  freshly started
 * @param {{ shape: import('../servers/targets.mjs').Shape, idleMs: number, settleMs: number, connect: { concurrency: number, timeoutMs: number } }} options
 */
export async function capacity(pool, target, { shape, idleMs, settleMs, connect }) {
  await sleep(settleMs);
  const rssBefore = target.rss();
  const heapBefore = await target.heapUsed();
  const specs = await target.prepare(shape);
  const ramp = await pool.connect(target.protocol, specs, connect);
  await sleep(settleMs);
  const rssAfter = target.rss();
  const heapAfter = await target.heapUsed();
  const cpuBefore = target.cpu();
  await sleep(idleMs);
  const idleCpu = target.cpu() - cpuBefore;
  const { drops } = await pool.collect();
  const n = Math.max(1, ramp.connected);
  return {
    attempted: ramp.attempted,
    connections: ramp.connected,
    connectErrors: ramp.errors,
    rampSeconds: ramp.seconds,
    connectTimeMs: ramp.connectTimeMs,
    rssBeforeMiB: Math.round(rssBefore / 2 ** 20),
    rssAfterMiB: Math.round(rssAfter / 2 ** 20),
    rssPerConnKiB: kib((rssAfter - rssBefore) / n),
    heapPerConnKiB: kib((heapAfter - heapBefore) / n),
    idle: {
      seconds: idleMs / 1000,
      cpuSeconds: Math.round(idleCpu * 1000) / 1000,
      coreShare: Math.round((idleCpu / (idleMs / 1000)) * 10_000) / 10_000,
      cpuMicrosPerSecPerConn: Math.round(((idleCpu * 1e6) / (idleMs / 1000) / n) * 100) / 100,
      drops,
    },
  };
}
