// What a worker counts during one measured step (a fan-out rate, a churn period).
import { mkdirSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createHistogram, encode, record } from '../metrics/histogram.mjs';

/** BENCH_LATENCY_TRACE=<dir>: each worker writes a latency time series per step there. */
const TRACE_DIR = process.env.BENCH_LATENCY_TRACE;

/** The loop-delay sampler's period: its figures include it, so it is taken off again. */
const LOOP_RESOLUTION_MS = 5;

/** @param {Record<string, number>} counts @param {string} key */
export function bump(counts, key) {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Counters and histograms of one step; `tag` is stamped into every message sent during it. */
export class StepStats {
  /** @param {string} tag @param {number} endMicros  when sending stops (receipts after it are drain) */
  constructor(tag, endMicros) {
    this.tag = tag;
    this.endMicros = endMicros;
    this.latency = createHistogram();
    this.reconnectTime = createHistogram();
    /** How late each message left this worker: send time − its scheduled time (µs). */
    this.sendLag = createHistogram();
    /** @type {Map<number, number[]> | undefined} 10 ms of receive time → [deliveries, worst latency, oldest stamp] (µs) */
    this.trace = undefined;
    this.received = 0;
    this.receivedInWindow = 0;
    this.stale = 0;
    this.sent = 0;
    this.skipped = 0;
    this.acked = 0;
    /** @type {Record<string, number>} */
    this.ackErrors = {};
    /** @type {Record<string, number>} roomId → messages sent to it */
    this.sentByRoom = {};
    /** @type {Record<string, number>} roomId → messages refused, or whose sender disconnected before the ack */
    this.notExpectedByRoom = {};
    /** @type {Record<string, number>} roomId → members of this worker that reconnected (not counted as receivers) */
    this.churnedByRoom = {};
    /** @type {Record<string, number>} roomId → members of this worker that dropped during the step (not counted as receivers) */
    this.droppedByRoom = {};
    this.reconnects = 0;
    /** @type {Record<string, number>} */
    this.reconnectErrors = {};
    this.cpuStart = process.cpuUsage();
    this.loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    this.loopDelay.enable();
  }

  /**
   * A delivery to a receiver that stayed connected all step long.
   * @param {number} stamp  send time in the message (µs)
   * @param {number} now  receive time (µs)
   */
  delivered(stamp, now) {
    this.received++;
    if (now <= this.endMicros) {
      this.receivedInWindow++;
    }
    record(this.latency, now - stamp);
    if (TRACE_DIR) {
      // BENCH_LATENCY_TRACE: per 10 ms of receive time, the deliveries and their worst latency.
      const bucket = Math.floor(now / 10_000);
      const entry = (this.trace ??= new Map()).get(bucket);
      if (entry) {
        entry[0]++;
        entry[1] = Math.max(entry[1], now - stamp);
        entry[2] = Math.min(entry[2], stamp);
      } else {
        this.trace.set(bucket, [1, now - stamp, stamp]);
      }
    }
  }

  /** Counts CPU and loop delay from now on (the step proper begins after its warm-up). */
  restartClocks() {
    this.cpuStart = process.cpuUsage();
    this.loopDelay.reset();
  }

  /** The step's figures, ready for IPC; stops the loop-delay monitor. */
  finish() {
    this.loopDelay.disable();
    if (TRACE_DIR && this.trace) {
      mkdirSync(TRACE_DIR, { recursive: true });
      const rows = [...this.trace].map(([bucket, [count, worst, oldest]]) => [bucket * 10, count, worst, oldest]);
      writeFileSync(`${TRACE_DIR}/${this.tag}-${process.pid}.json`, JSON.stringify(rows));
    }
    const cpu = process.cpuUsage(this.cpuStart);
    const { tag, received, receivedInWindow, stale, sent, skipped, acked, ackErrors, sentByRoom, churnedByRoom } = this;
    const { droppedByRoom } = this;
    const { notExpectedByRoom } = this;
    return {
      tag,
      received,
      receivedInWindow,
      stale,
      sent,
      skipped,
      acked,
      ackErrors,
      sentByRoom,
      notExpectedByRoom,
      churnedByRoom,
      droppedByRoom,
      reconnects: this.reconnects,
      reconnectErrors: this.reconnectErrors,
      latency: encode(this.latency),
      reconnectTime: encode(this.reconnectTime),
      sendLag: encode(this.sendLag),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      loopDelayP99Ms:
        this.loopDelay.count > 0 ? Math.max(0, this.loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS) : 0,
      loopDelayMaxMs: this.loopDelay.count > 0 ? Math.max(0, this.loopDelay.max / 1e6 - LOOP_RESOLUTION_MS) : 0,
    };
  }
}
