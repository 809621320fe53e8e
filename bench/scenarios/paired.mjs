// The comparisons behind the speed targets, made robust to a noisy machine: Parley and bare
// Socket.IO run side by side (both up, both with their clients connected) and take turns, a few
// rounds in ABBA order, so that whatever else the machine does at a moment falls on both alike.
// First at saturation (the profile's top rate): the throughput targets, judged on the median of
// the rounds, since seven overloaded steps of one server, same code and machine, ranged from 34k to
// 55k deliveries/s in 100-user rooms (bare; Parley 32k to 47k). Then at half of bare's median rate
// under load from those rounds: the latency target.
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
 * `rounds` steps of bare and of Parley at one rate, alternating which goes first (ABBA).
 * @param {{ kind: Kind, target: import('../servers/targets.mjs').Target, pool: LoadPool }[]} sides
 * @param {import('../servers/targets.mjs').Shape} s
 * @param {number} rate  deliveries per second
 * @param {number} rounds
 * @param {Profile} p
 * @param {Record<string, string[]>} [latencies]  collects every round's histogram, encoded, by kind
 */
async function takeTurns(sides, s, rate, rounds, p, latencies) {
  /** @type {Record<string, any[]>} */
  const steps = { bare: [], parley: [] };
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      // The previous step's drain and merge are over (they once overlapped a step's start).
      await sleep(p.paired.settleMs);
      const [step] = await fanout(side.pool, side.target, s, [rate], { ...p, latencies: latencies?.[side.kind] });
      steps[side.kind].push({ round: round + 1, ...step });
    }
  }
  return steps;
}

/**
 * For every shape: bare and Parley up side by side, first `saturationRounds` turns each at the
 * profile's top rate (shapes whose room size has a throughput target), then `rounds` turns each at
 * half of bare's median rate under load from those (or, for a shape not saturated or when
 * `fixedHalfRates` is set, at the rate `halfRates` gives; a shape without one is skipped).
 * Returns, by shape, every step, the median throughput of each kind at saturation, and the pooled
 * and median p99 of each kind at the half rate.
 * @param {Profile} p
 * @param {Record<string, string>} overrides  Parley's environment
 * @param {Record<string, number>} halfRates  by shape: half of bare's best rate in its own steps
 * @param {boolean} [fixedHalfRates]  use halfRates as given, with no saturation rounds
 */
export async function pairedComparison(p, overrides, halfRates, fixedHalfRates = false) {
  /** @type {Kind[]} */
  const kinds = ['bare', 'parley'];
  const top = Math.max(...p.deliveryRates);
  /** @type {Record<string, any>} */
  const shapes = {};
  for (const s of p.shapes) {
    const name = shapeName(s);
    const saturate = !fixedHalfRates && p.paired.saturationRounds > 0 && p.paired.saturationSizes.includes(s.size);
    if (!saturate && !halfRates[name]) {
      continue;
    }
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
      /** @type {Record<string, any>} */
      const pair = {};
      let rate = halfRates[name];
      if (saturate) {
        log(
          `paired: ${name} at ${top}/s (saturation), ${p.paired.saturationRounds} rounds of bare and Parley taking turns`,
        );
        const steps = await takeTurns(sides, s, top, p.paired.saturationRounds, p);
        /** @param {'throughputPerSec' | 'deliveredPerSec'} key */
        const medians = (key) => ({
          bare: median(steps.bare.map((step) => step[key] ?? 0)),
          parley: median(steps.parley.map((step) => step[key] ?? 0)),
        });
        pair.saturation = {
          deliveryRate: top,
          steps,
          medianThroughputPerSec: medians('throughputPerSec'),
          medianDeliveredPerSec: medians('deliveredPerSec'),
        };
        // Bare's rate while the load was on (see maxLoadedRate in goals.mjs), the median of its rounds.
        rate = Math.round(pair.saturation.medianDeliveredPerSec.bare / 2);
      }
      if (rate > 0) {
        log(`paired: ${name} at ${rate}/s, ${p.paired.rounds} rounds of bare and Parley taking turns`);
        /** @type {Record<string, string[]>} every round's latencies, encoded, by kind */
        const latencies = { bare: [], parley: [] };
        const steps = await takeTurns(sides, s, rate, p.paired.rounds, p, latencies);
        const p99s = (/** @type {string} */ kind) => steps[kind].map((step) => step.latencyMs?.p99 ?? Infinity);
        Object.assign(pair, {
          deliveryRate: rate,
          halfOf: saturate ? "bare's median rate under load in the saturation rounds" : "bare's best step",
          steps,
          medianP99Ms: { bare: median(p99s('bare')), parley: median(p99s('parley')) },
          // Every delivery of every round in one histogram per kind: the p99 of all that was
          // measured at this rate, which the latency target is judged on (see goals.mjs).
          pooledLatencyMs: { bare: summarize(merge(latencies.bare)), parley: summarize(merge(latencies.parley)) },
        });
      }
      for (const side of sides) {
        await disconnect(side.pool, side.target);
      }
      shapes[name] = pair;
    } finally {
      for (const side of sides) {
        await side.pool.stop();
        await side.target.stop();
      }
    }
  }
  return { rounds: p.paired.rounds, saturationRounds: fixedHalfRates ? 0 : p.paired.saturationRounds, shapes };
}
