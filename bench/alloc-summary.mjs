// Summarises an allocation profile (BENCH_ALLOC_PROFILE, see bench/README.md):
// `node bench/alloc-summary.mjs <file.heapprofile> [top=30] [--total]` prints the bytes allocated
// by the functions and the packages / source files that allocated most, garbage included;
// `--total` adds each function's bytes with everything it called.
import { readFileSync } from 'node:fs';
import { origin } from './metrics/frame-origin.mjs';

const [file, topArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: node bench/alloc-summary.mjs <file.heapprofile> [top] [--total]');
  process.exit(2);
}
const top = Number(topArg ?? 30);

/** @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children: HeapNode[] }} HeapNode */
/** @type {{ head: HeapNode, samples: { nodeId: number, size: number }[] }} */
const profile = JSON.parse(readFileSync(file, 'utf8'));

const keyOf = (/** @type {HeapNode} */ n) =>
  `${n.callFrame.functionName || '(anonymous)'}  ${origin(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

/** @type {Map<number, HeapNode>} */
const byId = new Map();
/** @type {Map<number, HeapNode[]>} node id → its stack, the node last */
const stacks = new Map();
/** @param {HeapNode} node @param {HeapNode[]} above */
function walk(node, above) {
  const stack = [...above, node];
  byId.set(node.id, node);
  stacks.set(node.id, stack);
  for (const child of node.children) {
    walk(child, stack);
  }
}
walk(profile.head, []);

/** @type {Map<string, number>} */
const byFunction = new Map();
/** @type {Map<string, number>} */
const byOrigin = new Map();
/** @type {Map<string, number>} */
const inclusive = new Map();
let total = 0;
for (const { nodeId, size } of profile.samples) {
  const node = /** @type {HeapNode} */ (byId.get(nodeId));
  total += size;
  byFunction.set(keyOf(node), (byFunction.get(keyOf(node)) ?? 0) + size);
  const where = origin(node.callFrame.url);
  byOrigin.set(where, (byOrigin.get(where) ?? 0) + size);
  for (const key of new Set((stacks.get(nodeId) ?? []).map(keyOf))) {
    inclusive.set(key, (inclusive.get(key) ?? 0) + size);
  }
}

const print = (/** @type {string} */ title, /** @type {Map<string, number>} */ map, /** @type {number} */ n) => {
  console.log(`\n${title}`);
  for (const [key, bytes] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(
      `${((bytes / total) * 100).toFixed(1).padStart(5)}%  ${(bytes / 2 ** 20).toFixed(1).padStart(7)} MiB  ${key}`,
    );
  }
};
console.log(`${file}: ${(total / 2 ** 20).toFixed(1)} MiB allocated (sampled)`);
print('allocated by function', byFunction, top);
print('allocated by origin', byOrigin, 25);
if (process.argv.includes('--total')) {
  print('allocated by function with what it called', inclusive, top);
}
