// A load worker (child_process.fork of the coordinator): holds its share of the connections, sends
// open-loop at the rate it is given, stamps each message, records one-way latency of what arrives.
// Commands arrive over IPC as { id, cmd, args } and are answered { id, ok, result | error }.
import { nowMicros } from '../metrics/clock.mjs';
import { createHistogram, encode, record } from '../metrics/histogram.mjs';
import { connectAndJoin } from './clients.mjs';
import { StepStats, bump } from './step-stats.mjs';

/** @typedef {import('./clients.mjs').Conn} Conn */
/** @typedef {{ id: number, url: string, token?: string, roomId: string, localAddress: string }} Spec */
/**
 * stable: connected all step long, from its start (a receiver that loss is counted for); received:
 * its deliveries this step.
 * @typedef {{ spec: Spec, conn: Conn | null, stable: boolean, received: number }} Client
 */

const workerId = Number(process.env.BENCH_WORKER_ID ?? 0);
/** @type {'socket.io' | 'ws'} */
let protocol = 'socket.io';
let timeoutMs = 20_000;
/** @type {Client[]} */
let clients = [];
let step = new StepStats('idle', 0);
/** @type {Record<string, number>} connections that dropped without being asked to, by reason */
let drops = {};

/** @param {Client} client */
function open(client) {
  return connectAndJoin(
    protocol,
    { ...client.spec, timeoutMs },
    {
      message(content) {
        const now = nowMicros();
        const bar = content.indexOf('|');
        if (content.slice(0, bar) !== step.tag) {
          step.stale++;
        } else {
          client.received++;
          step.delivered(Number(content.slice(bar + 1, content.indexOf('|', bar + 1))), now);
        }
      },
      closed(reason) {
        bump(drops, reason);
        if (client.stable) {
          bump(step.droppedByRoom, client.spec.roomId);
        }
        client.stable = false;
        client.conn = null;
      },
    },
  );
}

/** @param {{ protocol: 'socket.io' | 'ws', specs: Spec[], concurrency: number, timeoutMs: number }} args */
async function connect(args) {
  protocol = args.protocol;
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
  bump(step.churnedByRoom, client.spec.roomId);
  client.conn?.close();
  client.conn = null;
  const start = nowMicros();
  try {
    client.conn = await open(client);
    step.reconnects++;
    record(step.reconnectTime, nowMicros() - start);
  } catch (error) {
    bump(step.reconnectErrors, error instanceof Error ? error.message : String(error));
  }
}

/**
 * Sends `rate` messages per second for `durationMs`, round-robin over this worker's clients, each
 * to its room; open-loop: a message's stamp is its scheduled time, whether or not the earlier
 * ones were answered. With `churn`, that many clients (picked in order from a random start) close
 * and reconnect, spread evenly over the step.
 * @param {{ tag: string, rate: number, durationMs: number, ackTimeoutMs: number, messageBytes: number, churn: number }} args
 */
function run(args) {
  const start = nowMicros();
  const end = start + args.durationMs * 1000;
  step = new StepStats(args.tag, end);
  // A client that dropped in an earlier step (or whose reconnect failed) receives nothing: it is
  // not a receiver of this one.
  for (const client of clients) {
    client.stable = client.conn?.connected() === true;
  }
  const total = Math.floor((args.rate * args.durationMs) / 1000);
  const order = interleaved(clients);
  const churnTotal = Math.min(args.churn, order.length);
  const churnFrom = Math.floor(Math.random() * order.length);
  let cursor = 0;
  let churned = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const now = nowMicros();
      const elapsed = Math.min(now, end) - start;
      // Message k is due at start + k / rate: those due by now are floor(elapsed × rate) + 1.
      const due = Math.min(total, Math.floor((elapsed * args.rate) / 1e6) + 1);
      while (step.sent + step.skipped < due) {
        const k = step.sent + step.skipped;
        const client = order[cursor++ % order.length];
        if (!client.conn?.connected()) {
          step.skipped++;
          continue;
        }
        send(client, start + Math.round((k * 1e6) / args.rate), k, args);
      }
      while (churned < Math.floor((elapsed / (end - start)) * churnTotal)) {
        void reconnect(order[(churnFrom + churned++) % order.length]);
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
 * @param {number} k  the message's number in this worker's step
 * @param {{ tag: string, ackTimeoutMs: number, messageBytes: number }} args
 */
function send(client, stamp, k, args) {
  const head = `${args.tag}|${stamp}|${workerId}-${k}|`;
  const content = head.padEnd(args.messageBytes, 'x');
  const { roomId } = client.spec;
  const current = step;
  current.sent++;
  record(current.sendLag, nowMicros() - stamp);
  bump(current.sentByRoom, roomId);
  client.conn?.send(roomId, content, `${args.tag}-${workerId}-${k}`, args.ackTimeoutMs, (error) => {
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
  const result = { ...step.finish(), stableReceived, stableByRoom, drops, rssBytes: process.memoryUsage().rss };
  step = new StepStats('idle', 0);
  step.loopDelay.disable();
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
