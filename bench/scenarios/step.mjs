// One measured open-loop step: send at a fixed rate, let the tail drain, read what everyone saw.
import { MAX_BACKLOG_MS } from '../config.mjs';
import { sleep } from '../metrics/clock.mjs';
import { encode, summarize } from '../metrics/histogram.mjs';
import { busyShare, machineTicks } from '../metrics/proc.mjs';

/** @typedef {import('../load/coordinator.mjs').LoadPool} LoadPool */
/** @typedef {import('../servers/targets.mjs').Target} Target */

const round = (/** @type {number} */ value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

let steps = 0;

/** Server CPU (cores) under which the server counts as quiet: above an idle server's pings. */
const QUIET_CORES = 0.25;
const QUIET_WINDOW_MS = 500;
/** The longest a step waits for the server to go quiet before it starts. */
const MAX_QUIET_WAIT_MS = 60_000;

/**
 * Waits until the server's processes use less than QUIET_CORES over a window (at most
 * MAX_QUIET_WAIT_MS): after an overloaded step the server is still working off its backlog (what
 * the drain no longer waited for), and a step started then measures that backlog, not its own rate.
 * @param {Target} target
 * @returns {Promise<number>} seconds waited
 */
async function quiet(target) {
  const start = Date.now();
  for (;;) {
    const before = target.cpu();
    await sleep(QUIET_WINDOW_MS);
    const cores = (target.cpu() - before) / (QUIET_WINDOW_MS / 1000);
    if (cores < QUIET_CORES || Date.now() - start >= MAX_QUIET_WAIT_MS) {
      return (Date.now() - start) / 1000;
    }
  }
}

/**
 * With BENCH_ALLOC_PROFILE, starts or stops the servers' allocation profiles (servers/alloc-profile.mjs).
 * @param {Target} target
 */
function toggleAllocationProfile(target) {
  if (process.env.BENCH_ALLOC_PROFILE) {
    for (const pid of target.serverPids) {
      process.kill(pid, 'SIGUSR2');
    }
  }
}

/**
 * After the last send: waits for the acks (up to backlogMs), then for the broadcasts that follow
 * them, until none arrived for quietMs (everything bounded by twice backlogMs: a receiver's socket
 * can still hold a queue after the sender's ack).
 * @param {LoadPool} pool
 * @param {{ backlogMs: number, quietMs: number }} options
 * @returns {Promise<{ acksSeconds: number, drainSeconds: number }>} how long each wait took, from the start
 */
export async function drain(pool, { backlogMs, quietMs }) {
  const start = Date.now();
  while ((await pool.pending()) > 0 && Date.now() - start < backlogMs) {
    await sleep(100);
  }
  const acksSeconds = (Date.now() - start) / 1000;
  let received = await pool.receivedSoFar();
  for (;;) {
    await sleep(quietMs);
    const now = await pool.receivedSoFar();
    if (now === received || Date.now() - start >= 2 * backlogMs) {
      break;
    }
    received = now;
  }
  return { acksSeconds, drainSeconds: (Date.now() - start) / 1000 };
}

/**
 * @param {LoadPool} pool  connected
 * @param {Target} target
 * @param {{ rate: number, stepMs: number, warmupMs: number, drainMs: number, messageBytes: number, reconnects?: number, connect: { concurrency: number }, latencies?: string[] }} options
 *   rate: messages sent per second (each reaches every member of its room, the sender included);
 *   warmupMs: sent at the rate right before the step, not measured (see below);
 *   latencies: if given, the step's latency histogram is added to it, encoded (for pooling steps)
 */
export async function measureStep(
  pool,
  target,
  { rate, stepMs, warmupMs, drainMs, messageBytes, reconnects = 0, connect, latencies },
) {
  const tag = `s${++steps}`;
  // Every step starts with the whole population: clients dropped by an earlier step reconnect.
  const healed = await pool.heal(connect);
  const quietSeconds = await quiet(target);
  // The step measures the server in the steady state of its rate, not its start from idle: the
  // workers send at the rate for warmupMs first, without a break between the two. A server that has
  // idled for some seconds (as the paired comparison leaves each one while the other takes its
  // turn) is slow for its first fraction of a second under load again, and can be in V8's memory
  // reducer, a full collection of the idle heap (80-240 ms pauses with 10,000 connections).
  let cpuBefore = 0;
  let ticksBefore = machineTicks();
  await Promise.all([
    pool.run({
      tag,
      rate,
      warmupMs,
      durationMs: stepMs,
      ackTimeoutMs: stepMs + MAX_BACKLOG_MS,
      messageBytes,
      churn: reconnects,
    }),
    // Server and machine CPU are counted from the step's start.
    sleep(warmupMs).then(() => {
      cpuBefore = target.cpu();
      ticksBefore = machineTicks();
      toggleAllocationProfile(target);
    }),
  ]);
  toggleAllocationProfile(target);
  // An overloaded server answers late (see drain). What is still missing after that counts as lost.
  const { acksSeconds, drainSeconds } = await drain(pool, { backlogMs: MAX_BACKLOG_MS, quietMs: drainMs });
  const cpu = target.cpu() - cpuBefore;
  const busy = busyShare(ticksBefore, machineTicks());
  const r = await pool.collect();
  // Every message the server did not refuse (and whose sender stayed to hear the answer) should
  // reach every member of its room that stayed connected all step long: connected when the step
  // began, neither reconnected (churn) nor dropped until the drain was over.
  let expected = 0;
  for (const [roomId, sent] of Object.entries(r.sentByRoom)) {
    expected += (sent - (r.notExpectedByRoom[roomId] ?? 0)) * (r.stableByRoom[roomId] ?? 0);
  }
  const backlogSeconds = acksSeconds;
  const seconds = stepMs / 1000;
  const errors = Object.values(r.ackErrors).reduce((a, b) => a + b, 0);
  latencies?.push(encode(r.latency));
  return {
    targetRate: rate,
    sentPerSec: round(r.sent / seconds),
    sent: r.sent,
    skippedDisconnected: r.skipped,
    acked: r.acked,
    ackErrors: r.ackErrors,
    unacked: r.sent - r.acked - errors,
    expected,
    delivered: r.stableReceived,
    deliveredAll: r.received,
    lost: Math.max(0, expected - r.stableReceived),
    lossRatio: expected > 0 ? round(Math.max(0, expected - r.stableReceived) / expected, 6) : 0,
    deliveredPerSec: round(r.receivedInWindow / seconds),
    // Under overload deliveries go on after the step: every delivery over the time until the last ack.
    throughputPerSec: round(r.received / (seconds + Math.max(0, backlogSeconds))),
    stepSeconds: seconds,
    backlogSeconds: round(backlogSeconds, 2),
    latencyMs: summarize(r.latency),
    drainSeconds: round(drainSeconds, 2),
    serverCpuSeconds: round(cpu, 2),
    serverCpuSecPerMillion: r.received > 0 ? round((cpu / r.received) * 1e6, 2) : null,
    machineBusy: round(busy, 3),
    loadgen: {
      cpuSeconds: round(r.loadgenCpuSeconds, 2),
      loopDelayP99Ms: round(r.loadgenLoopDelayP99Ms),
      loopDelayMaxMs: round(r.loadgenLoopDelayMaxMs),
      sendLagMs: r.loadgenSendLagMs,
      rssMiB: round(r.loadgenRssBytes / 2 ** 20),
    },
    drops: r.drops,
    // Receivers that dropped during the step, by room: whether drops hit a few rooms or all.
    roomsWithDrops: Object.keys(r.droppedByRoom).length,
    // Clients that had dropped in earlier steps, reconnected before this one.
    reopenedBefore: healed.reopened,
    reopenErrors: healed.errors,
    // How long the server took to go quiet (the previous step's backlog, the reconnections).
    quietWaitSeconds: round(quietSeconds, 1),
    staleReceipts: r.stale,
    ...(reconnects > 0
      ? {
          churn: {
            planned: reconnects,
            reconnected: r.reconnects,
            errors: r.reconnectErrors,
            reconnectTimeMs: r.reconnectTimeMs,
          },
        }
      : {}),
  };
}
