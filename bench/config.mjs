// The two profiles: `quick` (CI smoke, about a minute) and `full` (the numbers).

/** The longest a step waits for acks after it stopped sending (scenarios/step.mjs). */
export const MAX_BACKLOG_MS = 10_000;

/** @typedef {import('./servers/targets.mjs').Shape} Shape */
/**
 * @typedef {object} Profile
 * @property {string} name
 * @property {number} workers  load worker processes
 * @property {number} sourceAddresses  127.0.0.2 … spread the client side over that many addresses
 * @property {'wire' | 'library'} client  Socket.IO spoken by load/wire-client.mjs or by socket.io-client
 * @property {{ concurrency: number, timeoutMs: number }} connect  handshakes in flight per worker
 * @property {{ connections: number, roomSize: number, idleMs: number, settleMs: number }} capacity
 * @property {Shape[]} shapes  fan-out room shapes; the first is the capacity scenario's connections
 * @property {number[]} deliveryRates  fan-out steps, in deliveries per second (send rate × room size)
 * @property {number} stepMs
 * @property {number} warmupMs  sent at a step's rate before it, not measured (the steady state, not the start from idle)
 * @property {number} drainMs
 * @property {number} messageBytes  length of each message's content
 * @property {{ shape: Shape, deliveryRate: number, fraction: number, periodMs: number, durationMs: number }} churn
 * @property {{ shape: Shape, deliveryRates: number[] }} cluster
 * @property {{ rounds: number, settleMs: number, saturationRounds: number, saturationSizes: number[] }} paired
 *   bare and Parley taking turns (scenarios/paired.mjs): saturationRounds each at the top delivery rate
 *   in the shapes of saturationSizes (the room sizes with a throughput target), then rounds each at
 *   half of bare's median rate under load from those
 */

/** @type {Record<'quick' | 'full', Profile>} */
export const PROFILES = {
  quick: {
    name: 'quick',
    workers: 2,
    sourceAddresses: 4,
    client: 'wire',
    connect: { concurrency: 32, timeoutMs: 20_000 },
    capacity: { connections: 1000, roomSize: 10, idleMs: 2000, settleMs: 1200 },
    shapes: [
      { rooms: 100, size: 10 },
      { rooms: 10, size: 100 },
      { rooms: 1, size: 1000 },
    ],
    deliveryRates: [5000],
    stepMs: 2000,
    warmupMs: 500,
    drainMs: 500,
    messageBytes: 100,
    churn: { shape: { rooms: 10, size: 100 }, deliveryRate: 5000, fraction: 0.2, periodMs: 3000, durationMs: 3000 },
    cluster: { shape: { rooms: 10, size: 100 }, deliveryRates: [5000] },
    paired: { rounds: 1, settleMs: 500, saturationRounds: 1, saturationSizes: [10, 100] },
  },
  full: {
    name: 'full',
    workers: 4,
    sourceAddresses: 8,
    client: 'wire',
    connect: { concurrency: 32, timeoutMs: 30_000 },
    capacity: { connections: 10_000, roomSize: 10, idleMs: 20_000, settleMs: 2500 },
    shapes: [
      { rooms: 1000, size: 10 },
      { rooms: 100, size: 100 },
      { rooms: 1, size: 1000 },
    ],
    deliveryRates: [10_000, 40_000, 80_000],
    stepMs: 8000,
    warmupMs: 2000,
    drainMs: 1000,
    messageBytes: 100,
    churn: {
      shape: { rooms: 100, size: 100 },
      deliveryRate: 10_000,
      fraction: 0.2,
      periodMs: 60_000,
      durationMs: 60_000,
    },
    cluster: { shape: { rooms: 100, size: 100 }, deliveryRates: [10_000, 40_000] },
    paired: { rounds: 7, settleMs: 2000, saturationRounds: 5, saturationSizes: [10, 100] },
  },
};

/**
 * The highest message rate any single user sends in a profile (senders take turns evenly).
 * @param {Profile} p
 */
export function busiestUserRate(p) {
  const perUser = (/** @type {number} */ deliveries, /** @type {Shape} */ s) =>
    deliveries / s.size / (s.rooms * s.size);
  return Math.max(
    ...p.shapes.flatMap((s) => p.deliveryRates.map((d) => perUser(d, s))),
    perUser(p.churn.deliveryRate, p.churn.shape),
    ...p.cluster.deliveryRates.map((d) => perUser(d, p.cluster.shape)),
  );
}
