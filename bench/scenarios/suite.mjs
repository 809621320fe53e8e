// Runs every scenario against one kind of server: capacity and fan-out (and churn) on one
// instance, or fan-out on two instances sharing a Redis.
import { maxLoadedRate } from '../goals.mjs';
import { LoadPool } from '../load/coordinator.mjs';
import { startTarget } from '../servers/targets.mjs';
import { capacity } from './capacity.mjs';
import { measureStep } from './step.mjs';

/** @typedef {import('../config.mjs').Profile} Profile */
/** @typedef {import('../servers/targets.mjs').Kind} Kind */
/** @typedef {import('../servers/targets.mjs').Shape} Shape */
/** @typedef {import('../servers/targets.mjs').Target} Target */

export const shapeName = (/** @type {Shape} */ s) => `${s.rooms}x${s.size}`;

/** @param {string} text */
export const log = (text) => console.log(`[bench] ${text}`);

/**
 * The fan-out steps of one shape on connected clients.
 * @param {LoadPool} pool
 * @param {Target} target
 * @param {Shape} shape
 * @param {number[]} deliveryRates
 * @param {Profile & { latencies?: string[] }} p  latencies: collects each step's histogram, encoded
 */
export async function fanout(pool, target, shape, deliveryRates, p) {
  const steps = [];
  for (const deliveries of deliveryRates) {
    const step = await measureStep(pool, target, { ...p, rate: deliveries / shape.size });
    log(
      `  ${target.kind} ${shapeName(shape)} @${deliveries}/s: delivered ${step.deliveredPerSec}/s, p99 ${step.latencyMs?.p99} ms, lost ${step.lost}`,
    );
    steps.push({ deliveryRate: deliveries, ...step });
  }
  return steps;
}

/**
 * Connects a shape's clients (fails the run if none could connect).
 * @param {LoadPool} pool
 * @param {Target} target
 * @param {Shape} shape
 * @param {Profile} p
 */
export async function connectShape(pool, target, shape, p) {
  const specs = await target.prepare(shape);
  const ramp = await pool.connect(target.protocol, specs, p.connect);
  log(`  ${target.kind} ${shapeName(shape)}: ${ramp.connected}/${ramp.attempted} connected in ${ramp.seconds} s`);
  if (ramp.connected === 0) {
    throw new Error(`${target.kind}: no client could connect: ${JSON.stringify(ramp.errors)}`);
  }
  return ramp;
}

/**
 * @param {LoadPool} pool
 * @param {Target} target
 */
export async function disconnect(pool, target) {
  await pool.closeAll();
  await target.settled(); // the server has handled the closes
  const dead = target.dead();
  if (dead.length > 0) {
    throw new Error(`server process exited: ${dead.join(', ')}`);
  }
}

/**
 * Capacity, fan-out over every shape and churn against one instance of `kind`. Each shape also
 * gets a step at half of bare's best rate under load (the latency target's load, see
 * maxLoadedRate): bare measures its own after its steps; the others are given bare's
 * (`halfRates`, by shape).
 * @param {Kind} kind
 * @param {Profile} p
 * @param {Record<string, string>} overrides  Parley's environment
 * @param {Record<string, number>} [halfRates]
 */
export async function singleInstance(kind, p, overrides, halfRates = {}) {
  const target = await startTarget(kind, { overrides });
  const pool = new LoadPool(p);
  await pool.ready;
  try {
    log(`${kind}: capacity, ${p.capacity.connections} connections`);
    const shape = { rooms: p.capacity.connections / p.capacity.roomSize, size: p.capacity.roomSize };
    const cap = await capacity(pool, target, { ...p.capacity, shape, connect: p.connect });
    log(`  ${kind}: ${cap.connections} connected, ${cap.rssPerConnKiB} KiB RSS/conn, idle ${cap.idle.coreShare} core`);
    /** @type {Record<string, { connections: number, steps: object[] }>} */
    const fan = {};
    /** @type {object | null} */
    let churn = null;
    for (const [i, s] of p.shapes.entries()) {
      const connections = i === 0 ? cap.connections : (await connectShape(pool, target, s, p)).connected;
      const steps = await fanout(pool, target, s, p.deliveryRates, p);
      const halfRate = kind === 'bare' ? Math.round(maxLoadedRate(steps) / 2) : halfRates[shapeName(s)];
      const [half] = halfRate ? await fanout(pool, target, s, [halfRate], p) : [];
      fan[shapeName(s)] = { connections, steps, ...(half ? { half } : {}) };
      if (shapeName(s) === shapeName(p.churn.shape)) {
        const c = p.churn;
        const reconnects = Math.round(c.fraction * connections * (c.durationMs / c.periodMs));
        log(`  ${kind} churn: ${reconnects} reconnects in ${c.durationMs / 1000} s`);
        const step = await measureStep(pool, target, {
          ...p,
          stepMs: c.durationMs,
          rate: c.deliveryRate / s.size,
          reconnects,
        });
        churn = {
          shape: shapeName(s),
          connections,
          deliveryRate: c.deliveryRate,
          fraction: c.fraction,
          periodSeconds: c.periodMs / 1000,
          ...step,
        };
      }
      await disconnect(pool, target);
    }
    return { capacity: cap, fanout: fan, churn };
  } finally {
    await pool.stop();
    await target.stop();
  }
}

/**
 * Fan-out with two instances of `kind` on one Redis; client i connects to instance i mod 2, so
 * every room has members on both.
 * @param {Kind} kind
 * @param {Profile} p
 * @param {Record<string, string>} overrides
 */
export async function cluster(kind, p, overrides) {
  const target = await startTarget(kind, { instances: 2, overrides });
  const pool = new LoadPool(p);
  await pool.ready;
  try {
    log(`${kind} x2 on Redis: ${shapeName(p.cluster.shape)}`);
    const ramp = await connectShape(pool, target, p.cluster.shape, p);
    const steps = await fanout(pool, target, p.cluster.shape, p.cluster.deliveryRates, p);
    await disconnect(pool, target);
    return { shape: shapeName(p.cluster.shape), instances: 2, connections: ramp.connected, steps };
  } finally {
    await pool.stop();
    await target.stop();
  }
}
