// Starts a server script in its own process and waits for its "Listening on" line.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {object} ServerProcess
 * @property {number} pid
 * @property {string} url  http://127.0.0.1:<port>
 * @property {() => string} output  the last 20 KB it wrote
 * @property {() => boolean} alive
 * @property {() => Promise<void>} stop  SIGTERM, then SIGKILL after 5 s
 */

/** Processes this run started and has not stopped: killed if the run itself exits early. */
const running = new Set();
process.on('exit', () => {
  for (const proc of running) {
    proc.kill('SIGKILL');
  }
});

/**
 * Kills `proc` if this process exits before it.
 * @param {import('node:child_process').ChildProcess} proc
 */
export function killOnExit(proc) {
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
}

/** A free TCP port on 127.0.0.1 (the same helper the test suite uses). */
export { freePort } from '../../test/utils/redis-server.mjs';

/**
 * Node options of the server processes, for profiling: with BENCH_CPU_PROF=<dir> each writes a V8
 * CPU profile there when it exits (`--cpu-prof`; read it with `node bench/profile-summary.mjs
 * <file>` or Chrome DevTools); BENCH_NODE_ARGS adds options of its own (space-separated, e.g.
 * `--heapsnapshot-signal=SIGUSR2`).
 * @param {string} label
 */
function profileArgs(label) {
  const dir = process.env.BENCH_CPU_PROF;
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  if (process.env.BENCH_ALLOC_PROFILE) {
    // BENCH_ALLOC_PROFILE=<dir>: allocation profiles of each step's measured window (alloc-profile.mjs).
    mkdirSync(process.env.BENCH_ALLOC_PROFILE, { recursive: true });
    extra.unshift('--import', fileURLToPath(new URL('./alloc-profile.mjs', import.meta.url)));
  }
  if (!dir) {
    return extra;
  }
  const name = `${label.replace(/[^\w.-]+/g, '-')}-${Date.now()}.cpuprofile`;
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`, ...extra];
}

/**
 * Spawns `node <script>` with the given environment (on top of ours) listening on 127.0.0.1:port.
 * @param {string} script  absolute path
 * @param {{ port: number, env?: Record<string, string>, label: string, timeoutMs?: number }} options  timeoutMs: to start listening
 * @returns {Promise<ServerProcess>}
 */
export function launch(script, { port, env = {}, label, timeoutMs }) {
  // BENCH_SERVER_CPUS=<list>: the server runs on those cores only (taskset), e.g. with the
  // generator kept off them by `taskset -c 0 node bench/run.mjs`. BENCH_SERVER_PREFIX: a command
  // the server runs under (space-separated words, e.g. valgrind's, see bench/instructions.mjs);
  // such a server is given ten times as long to start.
  const cpus = process.env.BENCH_SERVER_CPUS;
  const prefix = (process.env.BENCH_SERVER_PREFIX ?? '').split(' ').filter(Boolean);
  const command = [
    ...(cpus ? ['taskset', '-c', cpus] : []),
    ...prefix,
    process.execPath,
    ...profileArgs(label),
    script,
  ];
  timeoutMs ??= prefix.length > 0 ? 300_000 : 30_000;
  const proc = spawn(command[0], command.slice(1), {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killOnExit(proc);
  let output = '';
  // Both streams are read to the end so that a chatty server never blocks on a full pipe.
  const keep = (/** @type {Buffer} */ chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  // BENCH_SERVER_LOG=<dir>: everything the server writes also goes to <dir>/<label>-<pid>.log
  // (with BENCH_NODE_ARGS=--trace-gc, its garbage collections).
  if (process.env.BENCH_SERVER_LOG) {
    // Created when missing: a missing directory was an unhandled stream error that ended the run.
    mkdirSync(process.env.BENCH_SERVER_LOG, { recursive: true });
    const log = createWriteStream(
      join(process.env.BENCH_SERVER_LOG, `${label.replace(/[^\w.-]+/g, '-')}-${proc.pid}.log`),
    );
    proc.stdout.pipe(log);
    proc.stderr.pipe(log);
  }
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  const stop = async () => {
    if (!alive()) {
      return;
    }
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${label} did not listen within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = () => {
      if (output.includes('Listening on')) {
        clearTimeout(timer);
        proc.stdout.off('data', onData);
        proc.off('exit', onExit);
        resolve({
          pid: /** @type {number} */ (proc.pid),
          url: `http://127.0.0.1:${port}`,
          output: () => output,
          alive,
          stop,
        });
      }
    };
    const onExit = (/** @type {number | null} */ code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (code ${code}) before listening:\n${output}`));
    };
    proc.stdout.on('data', onData);
    proc.once('exit', onExit);
    proc.once('error', reject);
  });
}
