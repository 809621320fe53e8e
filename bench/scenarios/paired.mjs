// The latency target's comparison, made robust to a noisy machine: Parley and bare Socket.IO run
// side by side (both up, both with their clients connected) and take turns at the same rate, a few
// rounds in ABBA order, so that whatever else the machine does at a moment falls on both alike.
import { LoadPool } from '../load/coordinator.mjs';
import { sleep } from '../metrics/clock.mjs';
import { merge, summarize } from '../metrics/histogram.mjs';
import { startTarget } from '../servers/targets.mjs';
import { connectShape, disconnect, fanout, log, shapeName } from './suite.mjs';

/** @typedef {import('../config.mjs').Profile} Profile */
/** @typedef {import('../servers/targets.mjs').Kind} Kind */

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * For every shape with a half rate: `rounds` steps each of bare and Parley at that rate,
 * alternating which goes first. Returns, by shape, every step and the median p99 of each kind.
 * @param {Profile} p
 * @param {Record<string, string>} overrides  Parley's environment
 * @param {Record<string, number>} halfRates  by shape: half of bare's best rate
 */
export async function pairedLatency(p, overrides, halfRates) {
  /** @type {Kind[]} */
  const kinds = ['bare', 'parley'];
  /** @type {Record<string, any>} */
  const shapes = {};
  for (const s of p.shapes) {
    const rate = halfRates[shapeName(s)];
    if (!rate) {
      continue;
    }
    log(`paired: ${shapeName(s)} at ${rate}/s, ${p.paired.rounds} rounds of bare and Parley taking turns`);
    const sides = [];
    try {
      for (const kind of kinds) {
        const target = await startTarget(kind, { overrides });
        const pool = new LoadPool(p);
        sides.push({ kind, target, pool });
        await pool.ready;
        await connectShape(pool, target, s, p);
      }
      // Both ramps' garbage collected and their figures merged before the first round.
      await sleep(p.paired.settleMs);
      /** @type {Record<string, any[]>} */
      const steps = { bare: [], parley: [] };
      /** @type {Record<string, string[]>} every round's latencies, encoded, by kind */
      const latencies = { bare: [], parley: [] };
      for (let round = 0; round < p.paired.rounds; round++) {
        for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
          // The previous step's drain and merge are over (they once overlapped a step's start).
          await sleep(p.paired.settleMs);
          const [step] = await fanout(side.pool, side.target, s, [rate], { ...p, latencies: latencies[side.kind] });
          steps[side.kind].push({ round: round + 1, ...step });
        }
      }
      for (const side of sides) {
        await disconnect(side.pool, side.target);
      }
      const p99s = (/** @type {string} */ kind) => steps[kind].map((step) => step.latencyMs?.p99 ?? Infinity);
      shapes[shapeName(s)] = {
        deliveryRate: rate,
        steps,
        medianP99Ms: { bare: median(p99s('bare')), parley: median(p99s('parley')) },
        // Every delivery of every round in one histogram per kind: the p99 of all that was
        // measured at this rate, which the latency target is judged on (see goals.mjs).
        pooledLatencyMs: { bare: summarize(merge(latencies.bare)), parley: summarize(merge(latencies.parley)) },
      };
    } finally {
      for (const side of sides) {
        await side.pool.stop();
        await side.target.stop();
      }
    }
  }
  return { rounds: p.paired.rounds, shapes };
}
