// The benchmark report's verdicts (bench/goals.mjs): judged on what the servers did, not on how
// long the harness waited for them, and never on a refused message as if it had been delivered.
import { checkGoals, type GoalCheck } from '../../bench/goals.mjs';

interface Round {
  throughputPerSec: number;
  deliveredPerSec: number;
  backlogSeconds: number;
  ackErrors: Record<string, number>;
}

const step = { deliveryRate: 10_000, deliveredPerSec: 10_000, throughputPerSec: 10_000, lost: 0, drops: {} };
const side = {
  fanout: { '100x100': { steps: [step] } },
  capacity: { connectErrors: {}, idle: { drops: {} }, connections: 10_000, attempted: 10_000, rssPerConnKiB: 15 },
};
const round = (throughputPerSec: number, deliveredPerSec: number, backlogSeconds = 3, ackTimeouts = 0): Round => ({
  throughputPerSec,
  deliveredPerSec,
  backlogSeconds,
  ackErrors: ackTimeouts > 0 ? { ACK_TIMEOUT: ackTimeouts } : {},
});
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The 100-user rooms' throughput verdict for these paired saturation rounds. */
function throughputCheck(bare: Round[], parley: Round[]): GoalCheck {
  const medians = (key: 'throughputPerSec' | 'deliveredPerSec') => ({
    bare: median(bare.map((r) => r[key])),
    parley: median(parley.map((r) => r[key])),
  });
  const paired = {
    saturationRounds: bare.length,
    rounds: 0,
    shapes: {
      '100x100': {
        saturation: {
          deliveryRate: 80_000,
          steps: { bare, parley },
          medianThroughputPerSec: medians('throughputPerSec'),
          medianDeliveredPerSec: medians('deliveredPerSec'),
        },
      },
    },
  };
  const check = checkGoals({ parley: side, bare: side }, paired).find((c) => c.goal.startsWith('fan-out, 100-user'));
  if (!check) {
    throw new Error('no verdict on the 100-user rooms');
  }
  return check;
}

describe('bench goals: throughput at saturation', () => {
  it('judges on the throughput with the backlog when every round was answered in time', () => {
    const check = throughputCheck(
      [round(50_000, 40_000), round(52_000, 41_000), round(51_000, 39_000)],
      [round(45_000, 30_000), round(44_000, 29_000), round(46_000, 31_000)],
    );
    expect(check.goal).toContain('incl. backlog');
    expect(check.parley).toBe('45000/s');
    expect(check.verdict).toBe('met'); // 45k vs 51k: 0.88×, though delivered within the step is 0.75×
  });

  it('judges on deliveries within the step when a backlog outlasted the wait for acks', () => {
    // Both servers' backlog ran past the wait: their throughputs with the backlog are the same
    // (every delivery over the step plus the whole wait), whatever each delivered.
    // The wait is 10 s: a round that waited that long still had acks to come, whether or not
    // some ran out of time (ACK_TIMEOUT).
    const check = throughputCheck(
      [round(35_500, 25_000, 10.05, 30), round(35_400, 24_000, 10.02), round(39_700, 26_000, 8.1)],
      [round(35_400, 19_000, 10.1, 500), round(35_500, 20_000, 10.04), round(35_400, 18_000, 9.5, 8)],
    );
    expect(check.goal).toContain('delivered within the step: in 5 rounds the backlog outlasted the 10 s wait for acks');
    expect(check.parley).toBe('19000/s');
    expect(check.reference).toMatch(/^bare 25000\/s \(×0\.76\)/);
    expect(check.verdict).toBe('missed');
  });

  it('judges the best single step the same way when no paired rounds ran', () => {
    const fanout = (steps: object[]) => ({ ...side, fanout: { '100x100': { steps } } });
    const checks = checkGoals({
      bare: fanout([{ ...step }, { ...step, throughputPerSec: 35_500, deliveredPerSec: 25_000, backlogSeconds: 10.1 }]),
      parley: fanout([
        { ...step },
        { ...step, throughputPerSec: 35_400, deliveredPerSec: 19_000, backlogSeconds: 10.1 },
      ]),
    });
    const check = checks.find((c) => c.goal.startsWith('fan-out, 100-user'));
    expect(check?.goal).toContain('best step, delivered within the step: in 2 steps the backlog outlasted');
    expect(check?.parley).toBe('19000/s');
    expect(check?.verdict).toBe('missed');
  });
});

describe('bench goals: messages refused RATE_LIMITED', () => {
  /** Seven latency rounds at half of bare's rate, with these refusals in Parley's first one. */
  function latencyCheck(refused: number): GoalCheck {
    const latencyRound = (ackErrors: Record<string, number>) => ({ ...step, latencyMs: { p99: 100 }, ackErrors });
    const rounds = (first: Record<string, number>) => [
      latencyRound(first),
      ...Array.from({ length: 6 }, () => latencyRound({})),
    ];
    const paired = {
      saturationRounds: 0,
      rounds: 7,
      shapes: {
        '100x100': {
          deliveryRate: 20_000,
          steps: { bare: rounds({}), parley: rounds(refused > 0 ? { RATE_LIMITED: refused } : {}) },
          medianP99Ms: { bare: 100, parley: 100 },
          pooledLatencyMs: { bare: { p99: 100 }, parley: { p99: 100 } },
        },
      },
    };
    const check = checkGoals({ parley: side, bare: side }, paired).find((c) => c.goal.startsWith('p99 at half'));
    if (!check) {
      throw new Error('no latency verdict');
    }
    return check;
  }

  it('fails the latency target when Parley refused messages at half of bare rate, whatever its p99', () => {
    expect(latencyCheck(0)).toMatchObject({ parley: '100 ms', verdict: 'met' });
    expect(latencyCheck(12)).toMatchObject({
      parley: '100 ms (12 messages refused RATE_LIMITED, not in the histogram)',
      verdict: 'missed',
    });
  });

  it('counts refusals under overload apart from loss, and names them in the throughput line', () => {
    const refusing = { ...round(30_000, 30_000), ackErrors: { RATE_LIMITED: 4_000 } };
    const check = throughputCheck([round(31_000, 31_000)], [refusing]);
    expect(check.parley).toBe('30000/s (4000 messages refused RATE_LIMITED over the rounds)');
    const withRefusals = { ...side, fanout: { '100x100': { steps: [{ ...step, ackErrors: { RATE_LIMITED: 7 } }] } } };
    const loss = checkGoals({ parley: withRefusals, bare: side }).find((c) => c.goal.startsWith('zero loss'));
    expect(loss).toMatchObject({ parley: '0 lost, 0 dropped, 7 messages refused RATE_LIMITED', verdict: 'met' });
  });
});
