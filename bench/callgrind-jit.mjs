// Names the JavaScript behind a callgrind dump: `node bench/callgrind-jit.mjs <dump> <perf map>
// [builtin ...]`. callgrind shows JIT-compiled code as bare addresses; a server started with
// `BENCH_NODE_ARGS=--perf-basic-prof` (e.g. under bench/instructions.mjs) writes
// /tmp/perf-<pid>.map, which gives each address its function. For each builtin named (by default
// V8's megamorphic and generic property accesses) this prints the JavaScript functions that call
// it, with the instructions spent in it on their behalf and the number of calls.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const [dump, perfMap, ...named] = process.argv.slice(2);
if (!dump || !perfMap) {
  console.error('usage: node bench/callgrind-jit.mjs <callgrind dump> <perf-PID.map> [builtin ...]');
  process.exit(2);
}
for (const file of [dump, perfMap]) {
  if (!existsSync(file)) {
    console.error(`no such file: ${file}`);
    process.exit(2);
  }
}
const builtins = named.length
  ? named
  : ['Builtins_LoadIC_Megamorphic', 'Builtins_KeyedLoadIC_Megamorphic', 'Builtins_StoreIC', 'Builtins_KeyedStoreIC'];

/** The perf map's code ranges, sorted by start. */
const ranges = readFileSync(perfMap, 'utf8')
  .split('\n')
  .map((line) => /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line))
  .filter((m) => m !== null)
  .map((m) => ({ start: parseInt(m[1], 16), end: parseInt(m[1], 16) + parseInt(m[2], 16), name: m[3] }))
  .sort((a, b) => a.start - b.start);

/** The function of the perf map that holds `address`. @param {number} address */
function functionAt(address) {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].start <= address) {
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  const range = ranges[hi];
  return range && address < range.end ? range.name : `0x${address.toString(16)} (not in the map)`;
}

// In callgrind_annotate's caller tree, each block lists a function's callers ("<") above the
// function itself ("*").
const tree = execFileSync('callgrind_annotate', ['--tree=caller', '--threshold=100', dump], {
  encoding: 'utf8',
  maxBuffer: 1 << 30,
});
for (const block of tree.split('\n\n')) {
  const lines = block.trim().split('\n');
  const self = lines.at(-1) ?? '';
  const builtin = builtins.find((b) => self.includes(`*  ???:${b} [`));
  if (!builtin) {
    continue;
  }
  console.log(`\n${builtin}: ${self.trim().split(/\s+/)[0]} instructions`);
  const callers = [];
  for (const line of lines.slice(0, -1)) {
    const m = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+<\s+\?\?\?:0x([0-9a-f]+)(?:'\d+)? \(([\d,]+)x\)/.exec(line);
    if (m) {
      callers.push({
        instructions: Number(m[1].replaceAll(',', '')),
        calls: m[3],
        name: functionAt(parseInt(m[2], 16)),
      });
    }
  }
  for (const c of callers.sort((a, b) => b.instructions - a.instructions).slice(0, 15)) {
    console.log(`${String(c.instructions).padStart(12)}  ${c.calls.padStart(9)}x  ${c.name}`);
  }
}
