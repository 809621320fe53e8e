// Where a server's memory per connection goes: `node bench/heap-snapshot.mjs [--kinds=parley,bare]
// [--connections=2000] [--room-size=10] [--out=<dir>]` starts each server, takes a heap snapshot
// before and after connecting the clients (each joined to its room), and prints what grew, by
// constructor: count and bytes per connection. It also prints how many objects and references the
// heap holds before the clients and gains per connection: a full collection's marking work grows with
// those, not with bytes (a source string of 200 KiB is one object to mark). The snapshots stay in
// <out> for Chrome DevTools.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliOption } from './cli.mjs';
import { LoadPool } from './load/coordinator.mjs';
import { sleep } from './metrics/clock.mjs';
import { startTarget } from './servers/targets.mjs';
import { PER_IP_LIMIT_OVERRIDES } from './servers/parley.mjs';

const kinds = /** @type {import('./servers/targets.mjs').Kind[]} */ (cliOption('kinds', 'parley,bare').split(','));
const connections = Number(cliOption('connections', '2000'));
const roomSize = Number(cliOption('room-size', '10'));
const out = cliOption('out', join(tmpdir(), `parley-heap-${Date.now()}`));
mkdirSync(out, { recursive: true });

/**
 * Sends SIGUSR2 and returns the new snapshot file once written: the server writes it synchronously,
 * so it is complete when the server answers a request again.
 * @param {import('./servers/targets.mjs').Target} target
 */
async function snapshot(target) {
  const before = new Set(readdirSync(out));
  process.kill(target.serverPids[0], 'SIGUSR2');
  for (;;) {
    await sleep(200);
    const fresh = readdirSync(out).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (fresh) {
      for (;;) {
        if (target.dead().length > 0) {
          throw new Error(`${target.kind} exited while writing its heap snapshot`);
        }
        try {
          await target.heapUsed();
          return join(out, fresh);
        } catch {
          await sleep(500);
        }
      }
    }
  }
}

/**
 * Self size and count per constructor (objects) or per node type (strings, code, arrays...), and
 * the heap's totals: bytes, objects (the snapshot's nodes) and references between them (its edges).
 * @param {string} file
 * @returns {{ groups: Map<string, { count: number, bytes: number }>, bytes: number, objects: number, references: number }}
 */
function aggregate(file) {
  const { snapshot: meta, nodes, edges, strings } = JSON.parse(readFileSync(file, 'utf8'));
  const fields = meta.meta.node_fields;
  const types = meta.meta.node_types[0];
  const width = fields.length;
  const at = (/** @type {string} */ f) => fields.indexOf(f);
  const [TYPE, NAME, SIZE] = [at('type'), at('name'), at('self_size')];
  /** @type {Map<string, { count: number, bytes: number }>} */
  const groups = new Map();
  let bytes = 0;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + TYPE]];
    const key = type === 'object' || type === 'closure' ? `${type} ${strings[nodes[i + NAME]]}` : `(${type})`;
    const group = groups.get(key) ?? { count: 0, bytes: 0 };
    group.count += 1;
    group.bytes += nodes[i + SIZE];
    bytes += nodes[i + SIZE];
    groups.set(key, group);
  }
  return { groups, bytes, objects: nodes.length / width, references: edges.length / meta.meta.edge_fields.length };
}

const env = { ...PER_IP_LIMIT_OVERRIDES };
process.env.BENCH_NODE_ARGS = `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${out}`;
for (const kind of kinds) {
  const target = await startTarget(kind, { overrides: env });
  const pool = new LoadPool({ workers: 2, sourceAddresses: 4 });
  await pool.ready;
  try {
    const specs = await target.prepare({ rooms: Math.ceil(connections / roomSize), size: roomSize });
    await sleep(1000);
    if (target.dead().length > 0) {
      throw new Error(`${kind} exited`);
    }
    const empty = aggregate(await snapshot(target));
    const ramp = await pool.connect(target.protocol, specs, { concurrency: 32, timeoutMs: 30_000 });
    await sleep(2000);
    const full = aggregate(await snapshot(target));
    const n = ramp.connected;
    let total = 0;
    const rows = [];
    for (const [key, after] of full.groups) {
      const before = empty.groups.get(key) ?? { count: 0, bytes: 0 };
      const bytes = after.bytes - before.bytes;
      total += bytes;
      rows.push({ key, perConn: bytes / n, countPerConn: (after.count - before.count) / n });
    }
    rows.sort((a, b) => b.perConn - a.perConn);
    console.log(
      `\n${kind}: before the clients ${(empty.bytes / 2 ** 20).toFixed(1)} MiB, ` +
        `${Math.round(empty.objects / 1000)}k objects, ${Math.round(empty.references / 1000)}k references`,
    );
    console.log(
      `${kind}: ${n} connections; per connection the heap grew ${(total / n / 1024).toFixed(1)} KiB, ` +
        `${Math.round((full.objects - empty.objects) / n)} objects, ` +
        `${Math.round((full.references - empty.references) / n)} references`,
    );
    for (const row of rows.slice(0, 40)) {
      console.log(
        `${(row.perConn / 1024).toFixed(2).padStart(7)} KiB  ${row.countPerConn.toFixed(1).padStart(6)} ×  ${row.key}`,
      );
    }
  } finally {
    await pool.closeAll();
    await pool.stop();
    await target.stop();
  }
}
console.log(`\nsnapshots in ${out}`);
