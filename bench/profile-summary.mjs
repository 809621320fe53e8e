// Summarises a V8 CPU profile (`--cpu-prof`, see BENCH_CPU_PROF in bench/README.md):
// `node bench/profile-summary.mjs <file.cpuprofile> [top=40] [--total] [--during=<function>]` prints the functions with the most
// self time, then the packages / source files with the most self time.
import { readFileSync } from 'node:fs';
import { origin } from './metrics/frame-origin.mjs';

// The options may come in any order: `<file> --during=handOver` lists the top 40 as `<file> 40 --during=handOver` does.
const [file, topArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top] [--total] [--during=<function>]');
  process.exit(2);
}
const top = Number(topArg ?? 40);
if (!(Number.isInteger(top) && top > 0)) {
  console.error(`top must be a positive whole number, not "${topArg}" (options take "=": --during=<function>)`);
  process.exit(2);
}
/** @type {{ nodes: { id: number, callFrame: { functionName: string, url: string, lineNumber: number } }[], samples: number[], timeDeltas: number[] }} */
const profile = JSON.parse(readFileSync(file, 'utf8'));

/** @type {Map<number, number>} */
const parent = new Map();
for (const node of profile.nodes) {
  for (const child of /** @type {any} */ (node).children ?? []) {
    parent.set(child, node.id);
  }
}
/** @type {Map<number, any>} */
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

// --during=<function>: only the samples between the first and the last one with that function on
// the stack (e.g. --during=deliverInOrder: the fan-out steps, without the set-up around them).
const during = process.argv.find((a) => a.startsWith('--during='))?.slice(9);
let from = 0;
let to = profile.samples.length;
if (during) {
  const onStack = (/** @type {number} */ id) => {
    for (let at = /** @type {number | undefined} */ (id); at !== undefined; at = parent.get(at)) {
      if (byId.get(at)?.callFrame.functionName === during) {
        return true;
      }
    }
    return false;
  };
  from = profile.samples.findIndex(onStack);
  to = profile.samples.findLastIndex(onStack) + 1;
  if (from < 0) {
    console.error(`no sample has ${during} on its stack`);
    process.exit(1);
  }
}

/** @type {Map<number, number>} node id → µs of self time */
const self = new Map();
for (let i = from; i < to; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);

/** @type {Map<string, number>} */
const byFunction = new Map();
/** @type {Map<string, number>} */
const byOrigin = new Map();
for (const node of profile.nodes) {
  const us = self.get(node.id) ?? 0;
  if (us === 0) {
    continue;
  }
  const { functionName, url, lineNumber } = node.callFrame;
  const where = origin(url);
  const key = `${functionName || '(anonymous)'}  ${where}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  byOrigin.set(where, (byOrigin.get(where) ?? 0) + us);
}

const pct = (/** @type {number} */ us) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
const print = (/** @type {string} */ title, /** @type {Map<string, number>} */ map, /** @type {number} */ n) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  }
};
// Total (inclusive) time: a sample counts once for every distinct function on its stack.
/** @type {Map<number, string>} */
const keyOf = new Map(
  profile.nodes.map((n) => [
    n.id,
    `${n.callFrame.functionName || '(anonymous)'}  ${origin(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`,
  ]),
);
/** @type {Map<string, number>} */
const inclusive = new Map();
for (const [id, us] of self) {
  const seen = new Set();
  for (let at = /** @type {number | undefined} */ (id); at !== undefined; at = parent.get(at)) {
    const key = /** @type {string} */ (keyOf.get(at));
    if (!seen.has(key)) {
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
}
const busy = total - (byFunction.get('(idle)  (native / V8):0') ?? 0);

console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled, ${(busy / 1e6).toFixed(2)} s busy`);
print('self time by function', byFunction, top);
print('self time by origin', byOrigin, 25);
if (process.argv.includes('--total')) {
  print('total time by function (frames of Parley and its packages)', inclusive, top);
}
