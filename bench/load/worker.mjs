// A load worker (child_process.fork of the coordinator): holds its share of the connections, sends
// open-loop at the rate it is given, stamps each message, records one-way latency of what arrives.
// Commands arrive over IPC as { id, cmd, args } and are answered { id, ok, result | error }.
import { nowMicros } from '../metrics/clock.mjs';
import { createHistogram, encode, record } from '../metrics/histogram.mjs';
import { connectAndJoin } from './clients.mjs';
import { StepStats, bump } from './step-stats.mjs';

/** @typedef {import('./wire-client.mjs').Conn} Conn */
/** @typedef {{ id: number, url: string, token?: string, roomId: string, localAddress: string }} Spec */
/**
 * stable: connected all step long, from its start (a receiver that loss is counted for); received:
 * its deliveries this step.
 * @typedef {{ spec: Spec, conn: Conn | null, stable: boolean, received: number }} Client
 */

const workerId = Number(process.env.BENCH_WORKER_ID ?? 0);
/** @type {'socket.io' | 'ws'} */
let protocol = 'socket.io';
/** @type {'wire' | 'library'} */
let clientKind = 'wire';
let timeoutMs = 20_000;
/** @type {Client[]} */
let clients = [];
/** What this worker sends under now: the step's, or its warm-up's before it. */
let step = new StepStats('idle', 0);
/**
 * The step's own figures, for what arrives: a delivery counts by the tag in the message, so one
 * sent by another worker that has begun the step already counts while this one still warms up.
 */
let measured = step;
/** The current warm-up's tag: its deliveries are not measured, nor stale while it lasts. */
let warmupTag = '';
/** @type {Record<string, number>} connections that dropped without being asked to, by reason */
let drops = {};

/** @param {Client} client */
function open(client) {
  return connectAndJoin(
    protocol,
    clientKind,
    { ...client.spec, timeoutMs },
    {
      message(content) {
        const now = nowMicros();
        const bar = content.indexOf('|');
        const tag = content.slice(0, bar);
        if (tag === measured.tag) {
          client.received++;
          measured.delivered(Number(content.slice(bar + 1, content.indexOf('|', bar + 1))), now);
        } else if (tag !== warmupTag) {
          measured.stale++;
        }
      },
      closed(reason) {
        bump(drops, reason);
        if (client.stable) {
          bump(measured.droppedByRoom, client.spec.roomId);
        }
        client.stable = false;
        client.conn = null;
      },
    },
  );
}

/** @param {{ protocol: 'socket.io' | 'ws', client: 'wire' | 'library', specs: Spec[], concurrency: number, timeoutMs: number }} args */
async function connect(args) {
  protocol = args.protocol;
  clientKind = args.client;
  timeoutMs = args.timeoutMs;
  const fresh = args.specs.map((spec) => ({
    spec,
    conn: /** @type {Conn | null} */ (null),
    stable: true,
    received: 0,
  }));
  clients.push(...fresh);
  const times = createHistogram();
  /** @type {Record<string, number>} */
  const errors = {};
  let next = 0;
  const lane = async () => {
    while (next < fresh.length) {
      const client = fresh[next++];
      const start = nowMicros();
      try {
        client.conn = await open(client);
        record(times, nowMicros() - start);
      } catch (error) {
        bump(errors, error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: args.concurrency }, lane));
  return { connected: fresh.filter((c) => c.conn).length, errors, connectTime: encode(times) };
}

/**
 * Opens again the clients whose connection dropped (or whose reconnect failed), so that every
 * step starts with the whole room population: an overloaded step can drop connections, and the
 * steps after it would otherwise measure fewer receivers.
 * @param {{ concurrency: number }} args
 */
async function heal(args) {
  const dead = clients.filter((c) => !c.conn?.connected());
  /** @type {Record<string, number>} */
  const errors = {};
  let next = 0;
  const lane = async () => {
    while (next < dead.length) {
      const client = dead[next++];
      client.conn?.close();
      client.conn = null;
      try {
        client.conn = await open(client);
      } catch (error) {
        bump(errors, error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: args.concurrency }, lane));
  return { reopened: dead.filter((c) => c.conn).length, errors };
}

/**
 * The clients taking turns one room after another (the first member of every room, then the
 * second…), so that even a short step spreads its messages and reconnects over every room.
 * @param {Client[]} list
 */
function interleaved(list) {
  /** @type {Map<string, Client[]>} */
  const byRoom = new Map();
  for (const client of list) {
    const members = byRoom.get(client.spec.roomId);
    if (members) {
      members.push(client);
    } else {
      byRoom.set(client.spec.roomId, [client]);
    }
  }
  const rooms = [...byRoom.values()];
  const longest = Math.max(0, ...rooms.map((members) => members.length));
  return Array.from({ length: longest }, (_, i) =>
    rooms.flatMap((members) => (i < members.length ? [members[i]] : [])),
  ).flat();
}

/** @param {Client} client */
async function reconnect(client) {
  client.stable = false;
  bump(measured.churnedByRoom, client.spec.roomId);
  client.conn?.close();
  client.conn = null;
  const start = nowMicros();
  try {
    client.conn = await open(client);
    measured.reconnects++;
    record(measured.reconnectTime, nowMicros() - start);
  } catch (error) {
    bump(measured.reconnectErrors, error instanceof Error ? error.message : String(error));
  }
}

/**
 * Sends `rate` messages per second for `warmupMs` and then `durationMs`, round-robin over this
 * worker's clients, each to its room; open-loop: a message's stamp is its scheduled time, whether
 * or not the earlier ones were answered. The warm-up's messages carry a tag of their own and are
 * not measured (arriving after it, they count as the step's stale receipts); the schedule runs on
 * across the switch, so the step starts with the server in the steady state of its rate. With
 * `churn`, that many clients (picked in order from a random start) close and reconnect, spread
 * evenly over the step.
 * @param {{ tag: string, rate: number, warmupMs?: number, durationMs: number, ackTimeoutMs: number, messageBytes: number, churn: number }} args
 */
function run(args) {
  const start = nowMicros();
  const measuredFrom = start + (args.warmupMs ?? 0) * 1000;
  const end = measuredFrom + args.durationMs * 1000;
  /** The warm-up (if any) and the step, back to back: message k of a phase is due at from + k / rate. */
  const phases = [
    ...(measuredFrom > start ? [{ tag: `${args.tag}w`, from: start, until: measuredFrom }] : []),
    { tag: args.tag, from: measuredFrom, until: end },
  ].map((phase) => ({ ...phase, total: Math.floor((args.rate * (phase.until - phase.from)) / 1e6) }));
  measured = new StepStats(args.tag, end);
  warmupTag = phases.length > 1 ? phases[0].tag : '';
  step = phases.length > 1 ? new StepStats(warmupTag, measuredFrom) : measured;
  // The step's receivers: the clients connected now and until its drain is over (one that dropped
  // in an earlier step, or drops during the warm-up, receives nothing).
  for (const client of clients) {
    client.stable = client.conn?.connected() === true;
  }
  const order = interleaved(clients);
  const churnTotal = Math.min(args.churn, order.length);
  const churnFrom = Math.floor(Math.random() * order.length);
  let cursor = 0;
  let churned = 0;
  let current = 0;
  /** Messages of the current phase handled so far (sent or skipped). */
  let k = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const now = nowMicros();
      for (;;) {
        const phase = phases[current];
        // Those due by now are floor(elapsed × rate) + 1.
        const due = Math.min(
          phase.total,
          Math.floor(((Math.min(now, phase.until) - phase.from) * args.rate) / 1e6) + 1,
        );
        while (k < due) {
          const client = order[cursor++ % order.length];
          const stamp = phase.from + Math.round((k * 1e6) / args.rate);
          k++;
          if (!client.conn?.connected()) {
            step.skipped++;
            continue;
          }
          send(client, stamp, k, phase.tag, args);
        }
        if (current + 1 < phases.length && now >= phases[current + 1].from) {
          // The warm-up is over: the step's own clocks start, its messages go out from now on.
          step.finish();
          measured.restartClocks();
          step = measured;
          warmupTag = '';
          current++;
          k = 0;
          continue;
        }
        break;
      }
      if (now >= measuredFrom) {
        const elapsed = Math.min(now, end) - measuredFrom;
        while (churned < Math.floor((elapsed / (end - measuredFrom)) * churnTotal)) {
          void reconnect(order[(churnFrom + churned++) % order.length]);
        }
      }
      if (now >= end) {
        clearInterval(timer);
        resolve({ sent: step.sent });
      }
    };
    const timer = setInterval(tick, 2);
  });
}

/**
 * @param {Client} client
 * @param {number} stamp  the scheduled send time (µs)
 * @param {number} k  the message's number in its phase (with the tag, unique in the run)
 * @param {string} tag  the step's (or its warm-up's)
 * @param {{ ackTimeoutMs: number, messageBytes: number }} args
 */
function send(client, stamp, k, tag, args) {
  const head = `${tag}|${stamp}|${workerId}-${k}|`;
  const content = head.padEnd(args.messageBytes, 'x');
  const { roomId } = client.spec;
  const current = step;
  current.sent++;
  record(current.sendLag, nowMicros() - stamp);
  bump(current.sentByRoom, roomId);
  client.conn?.send(roomId, content, `${tag}-${workerId}-${k}`, args.ackTimeoutMs, (error) => {
    if (error) {
      bump(current.ackErrors, error);
    } else {
      current.acked++;
    }
    // A refused message (it has a code) or one whose sender went away before the answer is not
    // expected anywhere; a silent one (ACK_TIMEOUT) still is.
    if (error && error !== 'ACK_TIMEOUT') {
      bump(current.notExpectedByRoom, roomId);
    }
  });
}

/**
 * The step's figures, the drops since the last collect and the receivers that loss is counted for
 * (connected all step long, by room); late receipts count as stale after.
 */
function collect() {
  const stableReceived = clients.reduce((sum, c) => sum + (c.stable ? c.received : 0), 0);
  /** @type {Record<string, number>} */
  const stableByRoom = {};
  for (const client of clients) {
    if (client.stable) {
      bump(stableByRoom, client.spec.roomId);
    }
  }
  const result = { ...measured.finish(), stableReceived, stableByRoom, drops, rssBytes: process.memoryUsage().rss };
  step = new StepStats('idle', 0);
  step.loopDelay.disable();
  measured = step;
  drops = {};
  for (const client of clients) {
    client.stable = true;
    client.received = 0;
  }
  return result;
}

function closeAll() {
  for (const client of clients) {
    client.conn?.close();
  }
  const closed = clients.length;
  clients = [];
  return { closed };
}

/** Messages of the current step still waiting for their ack. */
function pending() {
  const errors = Object.values(step.ackErrors).reduce((a, b) => a + b, 0);
  return step.sent - step.acked - errors;
}

/** Deliveries seen so far in the current step (the coordinator waits until they stop coming). */
function receivedSoFar() {
  return clients.reduce((sum, c) => sum + c.received, 0);
}

/** @type {Record<string, (args: any) => unknown>} */
const commands = {
  connect,
  heal,
  run,
  pending,
  receivedSoFar,
  collect,
  closeAll,
  exit: () => setImmediate(() => process.exit(0)),
};

process.on('message', (/** @type {{ id: number, cmd: string, args: unknown }} */ message) => {
  Promise.resolve()
    .then(() => commands[message.cmd](message.args))
    .then(
      (result) => process.send?.({ id: message.id, ok: true, result }),
      (error) =>
        process.send?.({ id: message.id, ok: false, error: error instanceof Error ? error.stack : String(error) }),
    );
});
// The coordinator went away (it crashed or was interrupted): nothing left to measure for.
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
