// A lean Socket.IO client for the load generator: the Engine.IO v4 / Socket.IO v5 wire protocol
// over `ws`, only what the benchmark uses (one namespace, text packets, events with acks).
//
// Why not socket.io-client: on two cores the generator shares the machine with the server it
// measures, and in worker profiles socket.io-client's receive path (engine.io-client's transport
// and parser layers, its emitters, a timer per ack) cost more CPU per delivery than the server
// spent. The server sees the same frames either way: the handshake URL, the CONNECT packet with
// `auth`, EVENT packets with ack ids, and pong for every ping are what socket.io-client sends
// over its websocket transport. Like engine.io-client, it gives up on a connection whose server
// sent no ping for pingInterval + pingTimeout ("ping timeout"): under overload a ping can wait
// behind a backlog of broadcasts, and an integrator's client would drop then too. The harness can
// still use socket.io-client (`--client=library`).
import WebSocket from 'ws';

// Conn, ConnHandlers and ConnSpec are declared in wire-client.d.mts (every client of clients.mjs returns a Conn).
/** @typedef {import('./wire-client.mjs').Conn} Conn */
/** @typedef {import('./wire-client.mjs').ConnHandlers} ConnHandlers */
/** @typedef {import('./wire-client.mjs').ConnSpec} ConnSpec */
/** @typedef {{ ok: boolean, error?: { code: string } }} Answer */
/** @typedef {(answer: Answer | null) => void} AckCallback  null: no answer in time, or the connection closed */

const NAMESPACE = '/chat';
/** How often pending acks are checked for their deadline (one sweep for every connection). */
const ACK_SWEEP_MS = 100;

/**
 * Connections with acks outstanding: each keeps its own in a Map, in send order, and since every
 * ack of a connection has the same timeout, the oldest ones are the first to expire.
 * @type {Set<{ expire: (now: number) => void }>}
 */
const waiting = new Set();
/** @type {ReturnType<typeof setInterval> | undefined} */
let sweeper;

function sweepAcks() {
  const now = Date.now();
  for (const conn of waiting) {
    conn.expire(now);
  }
  if (waiting.size === 0) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

/**
 * Splits a Socket.IO packet of the /chat namespace: "4<type>/chat,<ack id><json>". Returns null for
 * a packet of another namespace (the harness opens none).
 * @param {string} text  the Engine.IO message packet, its leading "4" included
 * @returns {{ type: string, id: number, json: string } | null}
 */
export function parsePacket(text) {
  const type = text[1];
  let i = 2;
  if (text[i] === '/') {
    const comma = text.indexOf(',', i);
    const nsp = comma < 0 ? text.slice(i) : text.slice(i, comma);
    if (nsp !== NAMESPACE) {
      return null;
    }
    i = comma < 0 ? text.length : comma + 1;
  } else {
    return null;
  }
  let id = -1;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) {
    id = (id < 0 ? 0 : id * 10) + text.charCodeAt(i) - 48;
    i++;
  }
  return { type, id, json: text.slice(i) };
}

/**
 * Connects to the /chat namespace as socket.io-client does over its websocket transport (token in
 * the CONNECT packet's `auth`) and resolves on the server's `session` event. Rejects with the
 * server's connect-error message, or "timeout" when neither came within spec.timeoutMs.
 * @param {ConnSpec} spec
 * @param {ConnHandlers} handlers
 * @returns {Promise<Conn>}
 */
export function openSocketIoWire(spec, handlers) {
  const base = new URL(spec.url);
  base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  base.pathname = '/socket.io/';
  base.search = '?EIO=4&transport=websocket';
  const ws = new WebSocket(base, {
    perMessageDeflate: false,
    localAddress: spec.localAddress,
    handshakeTimeout: spec.timeoutMs,
  });
  let closing = false;
  let ready = false;
  let nextId = 0;
  /** @type {Map<number, { deadline: number, callback: AckCallback }>} */
  const acks = new Map();
  /** @type {ReturnType<typeof setTimeout> | undefined} closes the connection when the server's pings stop */
  let heartbeat;
  const entry = {
    /** @param {number} now */
    expire(now) {
      for (const [id, ack] of acks) {
        if (ack.deadline > now) {
          break;
        }
        acks.delete(id);
        ack.callback(null);
      }
      if (acks.size === 0) {
        waiting.delete(entry);
      }
    },
  };
  /** Fails every outstanding ack (the connection is gone; socket.io-client does the same). */
  const failAcks = () => {
    waiting.delete(entry);
    const pending = [...acks.values()];
    acks.clear();
    for (const ack of pending) {
      ack.callback(null);
    }
  };
  /**
   * @param {string} event
   * @param {unknown} payload
   * @param {number} timeoutMs
   * @param {AckCallback} callback
   */
  const emitWithAck = (event, payload, timeoutMs, callback) => {
    if (ws.readyState !== WebSocket.OPEN) {
      queueMicrotask(() => callback(null));
      return;
    }
    const id = nextId++;
    acks.set(id, { deadline: Date.now() + timeoutMs, callback });
    if (acks.size === 1) {
      waiting.add(entry);
      sweeper ??= setInterval(sweepAcks, ACK_SWEEP_MS);
    }
    ws.send(`42${NAMESPACE},${id}${JSON.stringify([event, payload])}`);
  };

  /** @type {Conn} */
  const conn = {
    join: (roomId, timeoutMs) =>
      new Promise((resolve, reject) =>
        emitWithAck('room:join', { roomId }, timeoutMs, (answer) => {
          if (answer?.ok) {
            resolve();
          } else {
            reject(new Error(answer ? (answer.error?.code ?? 'JOIN_REFUSED') : 'JOIN_TIMEOUT'));
          }
        }),
      ),
    send(roomId, content, clientMsgId, timeoutMs, done) {
      emitWithAck('message:send', { roomId, content, clientMsgId }, timeoutMs, (answer) => {
        if (answer === null) {
          done(ws.readyState === WebSocket.OPEN ? 'ACK_TIMEOUT' : 'DISCONNECTED');
        } else {
          done(answer.ok ? null : (answer.error?.code ?? 'REFUSED'));
        }
      });
    },
    connected: () => ready && ws.readyState === WebSocket.OPEN,
    close() {
      closing = true;
      clearTimeout(heartbeat);
      if (ws.readyState === WebSocket.OPEN) {
        // A namespace DISCONNECT before the WebSocket closes, as socket.io-client's close() sends.
        ws.send(`41${NAMESPACE},`);
      }
      ws.close();
      failAcks();
    },
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    /** @param {string} reason */
    const fail = (reason) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        ws.terminate();
        reject(new Error(reason));
      }
    };
    const timer = setTimeout(() => fail('timeout'), spec.timeoutMs);
    /** @param {string} reason */
    const dropped = (reason) => {
      clearTimeout(heartbeat);
      if (!settled) {
        fail(reason);
        return;
      }
      const wasReady = ready;
      ready = false;
      failAcks();
      if (wasReady && !closing) {
        closing = true;
        handlers.closed(reason);
      }
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        return; // the harness's events are all text
      }
      const text = String(data);
      switch (text[0]) {
        case '4': {
          const packet = parsePacket(text);
          if (!packet) {
            return;
          }
          if (packet.type === '2') {
            const [event, payload] = JSON.parse(packet.json);
            if (event === 'message:new') {
              handlers.message(payload.content);
            } else if (event === 'session' && !settled) {
              settled = true;
              ready = true;
              clearTimeout(timer);
              resolve(conn);
            }
          } else if (packet.type === '3') {
            const ack = acks.get(packet.id);
            if (ack) {
              acks.delete(packet.id);
              if (acks.size === 0) {
                waiting.delete(entry);
              }
              ack.callback(JSON.parse(packet.json)[0]);
            }
          } else if (packet.type === '4') {
            fail(JSON.parse(packet.json)?.message ?? 'connect_error');
          } else if (packet.type === '1') {
            // The server disconnected this socket from the namespace.
            dropped('io server disconnect');
            ws.close();
          }
          return;
        }
        case '2':
          ws.send('3');
          heartbeat?.refresh();
          return;
        case '0': {
          const { pingInterval, pingTimeout } = JSON.parse(text.slice(1));
          heartbeat = setTimeout(() => {
            dropped('ping timeout');
            ws.terminate();
          }, pingInterval + pingTimeout);
          ws.send(`40${NAMESPACE},${JSON.stringify(spec.token ? { token: spec.token } : {})}`);
          return;
        }
        case '1':
          dropped('transport close');
          ws.close();
          return;
        default:
          return;
      }
    });
    ws.on('error', (error) => {
      // Before the session: the connection failed; after it, 'close' follows and reports it.
      if (!settled) {
        fail(error.message);
      }
    });
    ws.on('close', () => dropped('transport close'));
  });
}
