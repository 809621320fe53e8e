// What the harness counts as its own failure (bench/validate.mjs): a scenario without numbers, not a
// server that did badly.
import { validate } from '../../bench/validate.mjs';

const step = (fields: object) => ({
  deliveredPerSec: 0,
  serverCpuSeconds: 1,
  lost: 0,
  latencyMs: { p99: 20_000 },
  ...fields,
});

/** A one-server run with a single fan-out step (no churn: its shape is not among the run's). */
const runWith = (fanoutStep: object) => ({
  settings: { shapes: [{ rooms: 100, size: 100 }], churn: { shape: { rooms: 10, size: 10 } } },
  results: {
    parley: {
      capacity: { connections: 10_000, rssPerConnKiB: 15, idle: { cpuSeconds: 0.1 } },
      fanout: { '100x100': { steps: [fanoutStep] } },
    },
  },
});

describe('bench validate: what is a harness failure', () => {
  it('passes a step that delivered', () => {
    expect(validate(runWith(step({ delivered: 1_000 })), ['parley'], false)).toEqual([]);
  });

  it('fails a step in which nothing was delivered and nobody dropped', () => {
    expect(validate(runWith(step({ delivered: 0, drops: {} })), ['parley'], false)).toEqual([
      'parley fan-out 100x100 step 1: no message was delivered',
    ]);
  });

  it('fails a step that delivered but recorded no latency', () => {
    expect(validate(runWith(step({ delivered: 1_000, latencyMs: null })), ['parley'], false)).toEqual([
      'parley fan-out 100x100 step 1: no latency recorded',
    ]);
  });

  // A step without deliveries has no latency histogram: the harness writes latencyMs null.
  it('passes a step in which the server refused every message: the report shows the refusals', () => {
    const refused = step({ delivered: 0, drops: {}, sent: 500, ackErrors: { RATE_LIMITED: 500 }, latencyMs: null });
    expect(validate(runWith(refused), ['parley'], false)).toEqual([]);
  });

  it('passes a step whose receivers dropped: the server timed them out, and the report shows it', () => {
    const timedOut = step({ delivered: 0, drops: { 'ping timeout': 10_000 }, latencyMs: null });
    expect(validate(runWith(timedOut), ['parley'], false)).toEqual([]);
  });
});
