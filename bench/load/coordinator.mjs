// Forks the load workers, shares the connections out among them and merges what they measured.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { merge, summarize } from '../metrics/histogram.mjs';

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));

/** @typedef {import('../servers/targets.mjs').ClientSpec} ClientSpec */
/** @typedef {ReturnType<import('./step-stats.mjs').StepStats['finish']> & { stableReceived: number, stableByRoom: Record<string, number>, drops: Record<string, number>, rssBytes: number }} WorkerStep */

/**
 * Adds counts key by key.
 * @param {Record<string, number>[]} parts
 */
export function sumCounts(parts) {
  /** @type {Record<string, number>} */
  const total = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      total[key] = (total[key] ?? 0) + value;
    }
  }
  return total;
}

/** @param {number[]} values */
const sum = (values) => values.reduce((a, b) => a + b, 0);

export class LoadPool {
  /**
   * @param {{ workers: number, sourceAddresses: number, client?: 'wire' | 'library' }} options  source
   *   addresses 127.0.0.2 and up; client: how Socket.IO is spoken (wire-client.mjs, the default, or socket.io-client)
   */
  constructor({ workers, sourceAddresses, client = 'wire' }) {
    this.client = client;
    this.addresses = Array.from({ length: sourceAddresses }, (_, i) => `127.0.0.${i + 2}`);
    this.nextCall = 0;
    /** @type {Map<number, { worker: number, resolve: (value: any) => void, reject: (error: Error) => void }>} */
    this.calls = new Map();
    this.procs = Array.from({ length: workers }, (_, i) => {
      // BENCH_WORKER_CPU_PROF=<dir>: each worker writes a V8 CPU profile there when it exits.
      const profDir = process.env.BENCH_WORKER_CPU_PROF;
      const proc = fork(WORKER, [], {
        env: { ...process.env, BENCH_WORKER_ID: String(i) },
        stdio: 'inherit',
        execArgv: profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
      });
      proc.on('message', (/** @type {any} */ message) => {
        const call = this.calls.get(message.id);
        if (!call) {
          return;
        }
        this.calls.delete(message.id);
        if (message.ok) {
          call.resolve(message.result);
        } else {
          call.reject(new Error(`worker ${i}: ${message.error}`));
        }
      });
      proc.on('exit', (code) => {
        for (const [id, call] of this.calls) {
          if (call.worker === i) {
            this.calls.delete(id);
            call.reject(new Error(`worker ${i} exited (code ${code})`));
          }
        }
      });
      return proc;
    });
    this.ready = Promise.all(this.procs.map((proc) => new Promise((resolve) => proc.once('message', resolve))));
  }

  get pids() {
    return this.procs.map((proc) => /** @type {number} */ (proc.pid));
  }

  /**
   * @param {number} worker
   * @param {string} cmd
   * @param {unknown} [args]
   * @returns {Promise<any>}
   */
  call(worker, cmd, args) {
    const id = ++this.nextCall;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { worker, resolve, reject });
      this.procs[worker].send({ id, cmd, args });
    });
  }

  /**
   * @param {string} cmd
   * @param {(worker: number) => unknown} [args]
   * @returns {Promise<any[]>}
   */
  all(cmd, args) {
    return Promise.all(this.procs.map((_, w) => this.call(w, cmd, args?.(w))));
  }

  /**
   * Opens every client and joins its room: client i goes to worker i mod W (so a room's members
   * are spread over the workers) from source address i mod A.
   * @param {'socket.io' | 'ws'} protocol
   * @param {ClientSpec[]} specs
   * @param {{ concurrency: number, timeoutMs: number }} options  concurrency per worker
   */
  async connect(protocol, specs, { concurrency, timeoutMs }) {
    const started = Date.now();
    const shares = this.procs.map(() => /** @type {(ClientSpec & { localAddress: string })[]} */ ([]));
    specs.forEach((spec, i) => {
      shares[i % shares.length].push({ ...spec, localAddress: this.addresses[i % this.addresses.length] });
    });
    this.clientsPerWorker = shares.map((share) => share.length);
    const results = await this.all('connect', (w) => ({
      protocol,
      client: this.client,
      specs: shares[w],
      concurrency,
      timeoutMs,
    }));
    return {
      attempted: specs.length,
      connected: sum(results.map((r) => r.connected)),
      errors: sumCounts(results.map((r) => r.errors)),
      seconds: (Date.now() - started) / 1000,
      connectTimeMs: summarize(merge(results.map((r) => r.connectTime))),
    };
  }

  /**
   * Reconnects (and rejoins) the clients that dropped since they connected.
   * @param {{ concurrency: number }} options  concurrency per worker
   */
  async heal({ concurrency }) {
    const results = await this.all('heal', () => ({ concurrency }));
    return {
      reopened: sum(results.map((r) => r.reopened)),
      errors: sumCounts(results.map((r) => r.errors)),
    };
  }

  /**
   * One open-loop step over every worker; `rate` (messages per second) and `churn` (clients to
   * reconnect) are shared out in proportion to each worker's clients.
   * @param {{ tag: string, rate: number, warmupMs?: number, durationMs: number, ackTimeoutMs: number, messageBytes: number, churn?: number }} step
   */
  async run(step) {
    const counts = this.clientsPerWorker ?? this.procs.map(() => 0);
    const total = sum(counts) || 1;
    await this.all('run', (w) => ({
      ...step,
      rate: (step.rate * counts[w]) / total,
      churn: Math.round(((step.churn ?? 0) * counts[w]) / total),
    }));
  }

  /** Messages of the current step not yet acknowledged, over every worker. */
  async pending() {
    return sum(await this.all('pending'));
  }

  /** Deliveries seen so far in the current step, over every worker. */
  async receivedSoFar() {
    return sum(await this.all('receivedSoFar'));
  }

  /** Every worker's figures for the step that just ran, merged. */
  async collect() {
    /** @type {WorkerStep[]} */
    const parts = await this.all('collect');
    const field = (
      /** @type {'received' | 'stableReceived' | 'receivedInWindow' | 'stale' | 'sent' | 'skipped' | 'acked' | 'reconnects' | 'cpuSeconds'} */ key,
    ) => sum(parts.map((p) => p[key]));
    return {
      received: field('received'),
      stableReceived: field('stableReceived'),
      receivedInWindow: field('receivedInWindow'),
      stale: field('stale'),
      sent: field('sent'),
      skipped: field('skipped'),
      acked: field('acked'),
      ackErrors: sumCounts(parts.map((p) => p.ackErrors)),
      sentByRoom: sumCounts(parts.map((p) => p.sentByRoom)),
      notExpectedByRoom: sumCounts(parts.map((p) => p.notExpectedByRoom)),
      churnedByRoom: sumCounts(parts.map((p) => p.churnedByRoom)),
      droppedByRoom: sumCounts(parts.map((p) => p.droppedByRoom)),
      stableByRoom: sumCounts(parts.map((p) => p.stableByRoom)),
      reconnects: field('reconnects'),
      reconnectErrors: sumCounts(parts.map((p) => p.reconnectErrors)),
      drops: sumCounts(parts.map((p) => p.drops)),
      latency: merge(parts.map((p) => p.latency)),
      reconnectTimeMs: summarize(merge(parts.map((p) => p.reconnectTime))),
      loadgenCpuSeconds: field('cpuSeconds'),
      loadgenLoopDelayP99Ms: Math.max(...parts.map((p) => p.loopDelayP99Ms)),
      loadgenLoopDelayMaxMs: Math.max(...parts.map((p) => p.loopDelayMaxMs)),
      loadgenSendLagMs: summarize(merge(parts.map((p) => p.sendLag))),
      loadgenRssBytes: sum(parts.map((p) => p.rssBytes)),
    };
  }

  async closeAll() {
    await this.all('closeAll');
    this.clientsPerWorker = undefined;
  }

  /** Asks every worker to exit; one that has not within 5 s is killed. */
  async stop() {
    await Promise.all(
      this.procs.map(async (proc) => {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          return;
        }
        const exited = new Promise((resolve) => proc.once('exit', resolve));
        proc.send({ id: 0, cmd: 'exit' });
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
