// CPU per message as a count that repeats: `node bench/instructions.mjs [--kinds=bare,parley]
// [--rooms=50] [--room-size=10] [--rate=40] [--warmup=1000] [--messages=1000] [--idle=10000]
// [--runs=1] [--out=<dir>]` runs each server under valgrind's callgrind, sends `warmup` messages
// (the JIT settles), counts the user-space instructions the server executes in `idle` ms without
// messages (timers, pings, heartbeats), then while `messages` more are sent at `rate` per second
// and delivered to every member of their room. Per message it gives the gross count and the net
// one (the idle rate over the same time taken away), for the main thread (JavaScript, the event
// loop) and for all threads (with V8's compiler and GC helpers). Instructions hardly depend on
// what else the machine is doing, so a change of a few percent that the timed steps of run.mjs
// cannot resolve shows here. Kernel work (the socket writes) is not counted: it is the same for
// every Socket.IO server. The call graphs stay in <out> for callgrind_annotate / KCachegrind.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliOption } from './cli.mjs';
import { LoadPool } from './load/coordinator.mjs';
import { sleep } from './metrics/clock.mjs';
import { drain } from './scenarios/step.mjs';
import { startTarget } from './servers/targets.mjs';

const kinds = /** @type {import('./servers/targets.mjs').Kind[]} */ (cliOption('kinds', 'bare,parley').split(','));
const shape = { rooms: Number(cliOption('rooms', '50')), size: Number(cliOption('room-size', '10')) };
const rate = Number(cliOption('rate', '40'));
const warmup = Number(cliOption('warmup', '1000'));
const messages = Number(cliOption('messages', '1000'));
const runs = Number(cliOption('runs', '1'));
const idleMs = Number(cliOption('idle', '10000'));
const out = cliOption('out', join(tmpdir(), `parley-instructions-${Date.now()}`));
mkdirSync(out, { recursive: true });

/** The longest a send waits for its acks (and twice that for its deliveries) after the last message. */
const BACKLOG_MS = 60_000;

/**
 * Sends `count` messages at `rate` and waits until every one is acked and delivered.
 * @param {LoadPool} pool
 * @param {string} tag
 * @param {number} count
 */
async function send(pool, tag, count) {
  const durationMs = Math.round((count / rate) * 1000);
  await pool.run({ tag, rate, durationMs, ackTimeoutMs: 2 * BACKLOG_MS, messageBytes: 100 });
  await drain(pool, { backlogMs: BACKLOG_MS, quietMs: 500 });
  const step = await pool.collect();
  const expected = step.acked * shape.size;
  if (step.acked !== step.sent || step.received !== expected) {
    throw new Error(
      `${tag}: sent ${step.sent}, acked ${step.acked}, delivered ${step.received} of ${expected}: ${JSON.stringify(step.ackErrors)}`,
    );
  }
  return step;
}

/**
 * Runs callgrind_control on the server and returns what it printed.
 * @param {number} pid
 * @param {string[]} command
 */
const control = (pid, command) =>
  // vgdb names its pipes after the HOST variable, which launch.mjs sets for the server.
  execFileSync('callgrind_control', [...command, String(pid)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOST: '127.0.0.1' },
  });

/**
 * The instructions of the dump that callgrind wrote for `prefix`, once it is complete: those of
 * the main thread (JavaScript, the event loop) and those of all threads (with V8's compiler and
 * garbage-collector helpers, which run beside it).
 * @param {string} prefix  file name without the dump's number and thread
 * @param {number} part  the dump's number (callgrind counts them from 1)
 */
async function dumpedInstructions(prefix, part) {
  for (let i = 0; i < 600; i++) {
    const files = readdirSync(out).filter((f) => f.startsWith(`${prefix}.${part}-`));
    const totals = files.map((f) => ({
      main: f.endsWith('-01'),
      count: /^totals: (\d+)/m.exec(readFileSync(join(out, f), 'utf8'))?.[1],
    }));
    if (totals.some((t) => t.main) && totals.every((t) => t.count !== undefined)) {
      return {
        main: Number(totals.find((t) => t.main)?.count),
        all: totals.reduce((sum, t) => sum + Number(t.count), 0),
      };
    }
    await sleep(100);
  }
  throw new Error(`no callgrind dump ${part} for ${prefix} in ${out}`);
}

/** Millions, for printing. @param {number} n */
const mi = (n) => (n / 1e6).toFixed(3);

try {
  execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('bench/instructions.mjs needs valgrind (with callgrind_control) on the PATH');
  process.exit(2);
}

const results = [];
for (let run = 1; run <= runs; run++) {
  for (const kind of kinds) {
    const prefix = `${kind}-run${run}.callgrind`;
    process.env.BENCH_SERVER_PREFIX = [
      'valgrind',
      '--tool=callgrind',
      '--instr-atstart=no',
      '--separate-threads=yes',
      `--callgrind-out-file=${join(out, prefix)}`,
    ].join(' ');
    const target = await startTarget(kind);
    const pool = new LoadPool({ workers: 1, sourceAddresses: 2 });
    try {
      await pool.ready;
      const specs = await target.prepare(shape);
      const ramp = await pool.connect(target.protocol, specs, { concurrency: 8, timeoutMs: 120_000 });
      if (ramp.connected !== specs.length) {
        throw new Error(`${kind}: ${ramp.connected} of ${specs.length} connected: ${JSON.stringify(ramp.errors)}`);
      }
      await send(pool, `${kind}-warmup`, warmup);
      const pid = target.serverPids[0];
      // First what the server does in idleMs without messages (timers, pings, heartbeats), then
      // the messages: the net count per message takes the idle rate over the same time away.
      control(pid, ['--instr=on']);
      await sleep(idleMs);
      control(pid, ['--dump']);
      const started = Date.now();
      const step = await send(pool, `${kind}-measured`, messages);
      const sendingMs = Date.now() - started;
      control(pid, ['--dump']);
      control(pid, ['--instr=off']);
      const idle = await dumpedInstructions(prefix, 1);
      const busy = await dumpedInstructions(prefix, 2);
      /** @param {'main' | 'all'} part */
      const per = (part) => ({
        gross: Math.round(busy[part] / step.sent),
        net: Math.round((busy[part] - (idle[part] * sendingMs) / idleMs) / step.sent),
      });
      const perMessage = { main: per('main'), all: per('all') };
      results.push({ run, kind, sent: step.sent, delivered: step.received, idleMs, sendingMs, idle, busy, perMessage });
      console.log(
        `${kind} run ${run}: ${step.sent} messages in ${sendingMs} ms, M instructions each: ` +
          `main thread ${mi(perMessage.main.net)} net of ${mi((idle.main * 1000) / idleMs)} per idle second ` +
          `(${mi(perMessage.main.gross)} gross), all threads ${mi(perMessage.all.net)} net`,
      );
    } finally {
      await pool.closeAll().catch(() => {});
      await pool.stop();
      await target.stop();
    }
  }
}

console.log('\nM instructions per message, net of idle (gross)');
console.log('kind     run   messages   main thread      all threads');
for (const r of results) {
  const { main, all } = r.perMessage;
  console.log(
    `${r.kind.padEnd(8)} ${String(r.run).padStart(3)} ${String(r.sent).padStart(10)}   ` +
      `${mi(main.net)} (${mi(main.gross)})  ${mi(all.net)} (${mi(all.gross)})`,
  );
}
/** @param {string} kind @param {'main' | 'all'} part @param {'net' | 'gross'} measure */
const mean = (kind, part, measure) => {
  const own = results.filter((r) => r.kind === kind);
  return own.reduce((s, r) => s + r.perMessage[part][measure], 0) / own.length;
};
if (kinds.includes('bare') && kinds.includes('parley')) {
  /** @param {'main' | 'all'} part @param {'net' | 'gross'} measure */
  const ratio = (part, measure) => (mean('parley', part, measure) / mean('bare', part, measure)).toFixed(3);
  console.log(
    `\nparley / bare, main thread: ${ratio('main', 'net')}x net (${ratio('main', 'gross')}x gross); ` +
      `all threads: ${ratio('all', 'net')}x net (${ratio('all', 'gross')}x gross)`,
  );
}
writeFileSync(
  join(out, 'instructions.json'),
  JSON.stringify({ shape, rate, warmup, messages, idleMs, results }, null, 2),
);
console.log(`call graphs and instructions.json in ${out}`);
