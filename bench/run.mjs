// The benchmark: `node bench/run.mjs [--quick] [--kinds=parley,bare,ws] [--no-cluster]`.
// Runs every scenario against Parley and both baselines, writes bench/results/*.json and *.md.
// Exits non-zero when the harness fails (a scenario did not run or produced no numbers), never on speed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { PROFILES, busiestUserRate } from './config.mjs';
import { checkGoals } from './goals.mjs';
import { machineInfo } from './metrics/proc.mjs';
import { toMarkdown } from './report.mjs';
import { pairedComparison } from './scenarios/paired.mjs';
import { cluster, singleInstance } from './scenarios/suite.mjs';
import { PER_IP_LIMIT_OVERRIDES, messageLimitOverrides } from './servers/parley.mjs';
import { validate } from './validate.mjs';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const ratesArg = args.find((a) => a.startsWith('--rates='));
// --rates=5000,20000 replaces the profile's fan-out steps (deliveries per second).
const profile = {
  ...PROFILES[quick ? 'quick' : 'full'],
  ...(ratesArg ? { deliveryRates: ratesArg.slice(8).split(',').map(Number) } : {}),
};
// --warmup=<ms> replaces the profile's warm-up before each step (0: none).
const warmupArg = args.find((a) => a.startsWith('--warmup='));
if (warmupArg) {
  const warmupMs = Number(warmupArg.slice(9));
  if (!Number.isFinite(warmupMs) || warmupMs < 0) {
    console.error(`[bench] --warmup takes milliseconds (0 or more), not "${warmupArg.slice(9)}"`);
    process.exit(2);
  }
  profile.warmupMs = warmupMs;
}
// --client=library connects the Socket.IO clients with socket.io-client instead of the lean wire client.
const clientArg = args.find((a) => a.startsWith('--client='));
if (clientArg) {
  const client = clientArg.slice(9);
  if (client !== 'wire' && client !== 'library') {
    console.error(`[bench] --client is wire or library, not "${client}"`);
    process.exit(2);
  }
  profile.client = client;
}
// --shapes=100x10,10x100 replaces the fan-out shapes; the first is also the capacity scenario's
// (churn runs only when its shape is among them). For profiling one shape.
const shapesArg = args.find((a) => a.startsWith('--shapes='));
if (shapesArg) {
  profile.shapes = shapesArg
    .slice(9)
    .split(',')
    .map((s) => {
      const [rooms, size] = s.split('x').map(Number);
      return { rooms, size };
    });
  const [first] = profile.shapes;
  profile.capacity = { ...profile.capacity, connections: first.rooms * first.size, roomSize: first.size };
}
const kindsArg = args.find((a) => a.startsWith('--kinds='));
const kinds = /** @type {import('./servers/targets.mjs').Kind[]} */ (
  kindsArg ? kindsArg.slice(8).split(',') : ['ws', 'bare', 'parley']
);
const machine = machineInfo();

// Every connection costs the server one file descriptor and a worker another.
const needed = profile.capacity.connections + 1024;
if (machine.openFileLimit < needed) {
  console.error(
    `[bench] open-file limit ${machine.openFileLimit} < ${needed}: run \`ulimit -n ${needed}\` (or higher) first`,
  );
  process.exit(2);
}
const hasRedis = (() => {
  try {
    execFileSync('redis-server', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
const runCluster = !args.includes('--no-cluster') && hasRedis;

const busiest = Math.round(busiestUserRate(profile) * 1000) / 1000;
const messageOverrides = messageLimitOverrides(busiest);
const overrides = { ...messageOverrides };
const started = new Date();
console.log(`[bench] ${profile.name}: ${kinds.join(', ')}${runCluster ? ' + cluster' : ''} on ${machine.cores} cores`);

/** @type {Record<string, any>} */
const results = {};
// --cluster-only skips the single-instance scenarios (for working on the cluster one; fails validation).
// Always in this order, so that bare's best rate is known before Parley runs.
const ORDER = ['ws', 'bare', 'parley'];
// --paired-only=1000x10:29600,100x100:31200 runs only the paired latency comparison at those rates,
// without saturation rounds (for working on it; the run then fails validation).
const pairedOnlyArg = args.find((a) => a.startsWith('--paired-only='));
const singleKinds = ORDER.filter((k) => kinds.includes(/** @type {any} */ (k)));
/** Half of bare's best rate, by shape (from bare's fan-out steps). */
const halfRates = () =>
  Object.fromEntries(
    Object.entries(results.bare?.fanout ?? {}).flatMap(([shape, f]) => (f.half ? [[shape, f.half.deliveryRate]] : [])),
  );
for (const kind of args.includes('--cluster-only') || pairedOnlyArg ? [] : singleKinds) {
  // Bare runs before Parley (see `kinds`): Parley gets a step at half of bare's best rate.
  results[kind] = await singleInstance(kind, profile, overrides, halfRates());
}
/** @type {any} */
let paired = { skipped: 'needs both bare and parley' };
if (pairedOnlyArg) {
  const rates = Object.fromEntries(
    pairedOnlyArg
      .slice(14)
      .split(',')
      .map((r) => [r.split(':')[0], Number(r.split(':')[1])]),
  );
  paired = await pairedComparison(profile, overrides, rates, true);
} else if (results.bare && results.parley) {
  paired = await pairedComparison(profile, overrides, halfRates());
}
/** @type {Record<string, any>} */
const clusterResults = {};
if (runCluster) {
  for (const kind of kinds.filter((k) => k !== 'ws')) {
    clusterResults[kind] = await cluster(kind, profile, overrides);
  }
}

const run = {
  mode: profile.name,
  startedAt: started.toISOString(),
  durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
  machine,
  clock:
    'one-way latency = receive time − the scheduled send time stamped in the message, both read from ' +
    "process.hrtime (CLOCK_MONOTONIC, one clock for every process of the machine); open-loop, so a sender's own lag counts.",
  settings: profile,
  parley: {
    engine: 'memory',
    perIpOverrides: PER_IP_LIMIT_OVERRIDES,
    messageLimitOverrides: messageOverrides,
    busiestUserRate: busiest,
  },
  results,
  paired,
  cluster: runCluster
    ? clusterResults
    : { skipped: hasRedis ? 'disabled with --no-cluster' : 'redis-server not found' },
  goals: results.parley && results.bare ? checkGoals(results, paired) : [],
  notes: [
    'The load generator runs on the same machine as the server: delivered msg/s is what the machine sustains with it. A machine CPU busy near 1 or a large load-gen loop delay means the machine, not necessarily the server, is the limit.',
    "Capacity: RSS from /proc/<pid>/status before the REST setup and after the ramp (Parley: guest tokens and rooms created over REST are included); heap from Parley's GET /api/v1/admin/instances (its last heartbeat) or the baselines' process.memoryUsage(); no GC is forced.",
    'Idle CPU: server utime+stime from /proc/<pid>/stat over the idle interval (10 ms ticks; Engine.IO pings every 25 s).',
    'Loss: deliveries expected (messages sent and not refused, × members of the room connected all step long, the sender included) minus deliveries seen, backlog and drain included. A message refused with a code, or whose sender disconnected before its ack (churn), is a send error, not a loss.',
    'Throughput (incl. backlog) = every delivery of a step ÷ (step + the time until its last ack): what an overloaded server really processed. "Delivered msg/s" counts only deliveries within the step.',
    ...(quick ? ['Quick mode is a smoke test of the harness: its figures are too short to compare.'] : []),
  ],
};

mkdirSync(`${RESULTS}runs`, { recursive: true });
const stem = quick ? 'quick-latest' : 'latest';
const stamp = `${started.toISOString().replace(/[:.]/g, '-')}-${profile.name}`;
// Formatted as the repository's Prettier config wants, so that committed results pass `prettier --check`.
const format = async (/** @type {string} */ text, /** @type {string} */ file) =>
  prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
const json = await format(JSON.stringify(run), `${RESULTS}${stem}.json`);
const markdown = await format(toMarkdown(run), `${RESULTS}${stem}.md`);
// A run narrowed by options (--kinds, --shapes, --rates, ...) is no standard run: it goes to runs/ only.
const narrowed = args.some((a) => a !== '--quick');
const names = narrowed ? [`runs/${stamp}`] : [stem, `runs/${stamp}`];
for (const name of names) {
  writeFileSync(`${RESULTS}${name}.json`, json);
  writeFileSync(`${RESULTS}${name}.md`, markdown);
}
console.log(markdown);
console.log(
  `[bench] wrote ${names.map((n) => `bench/results/${n}.{json,md}`).join(' and ')} in ${run.durationSeconds} s`,
);

const problems = validate(run, kinds, runCluster);
if (problems.length > 0) {
  console.error(`[bench] harness failure:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
