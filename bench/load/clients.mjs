// One client connection as the load workers drive it, over Socket.IO (Parley and the bare
// baseline speak the same events; the lean wire client by default, socket.io-client with
// --client=library) or over raw ws (the ws baseline's JSON-array frames).
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { openSocketIoWire } from './wire-client.mjs';

// The connection types (Conn, ConnHandlers, ConnSpec) are declared once, in wire-client.d.mts.
/** @typedef {import('./wire-client.mjs').Conn} Conn */
/** @typedef {import('./wire-client.mjs').ConnHandlers} ConnHandlers */
/** @typedef {import('./wire-client.mjs').ConnSpec} ConnSpec */

/**
 * Connects with socket.io-client as an integrator would (websocket transport, token in `auth`),
 * resolving on the server's `session` event.
 * @param {ConnSpec} spec
 * @param {ConnHandlers} handlers
 * @returns {Promise<Conn>}
 */
function openSocketIo(spec, handlers) {
  const socket = io(`${spec.url}/chat`, {
    auth: spec.token ? { token: spec.token } : {},
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: spec.timeoutMs,
    // engine.io-client hands it to `ws`, which binds the source address of the TCP connection.
    localAddress: spec.localAddress,
  });
  let closing = false;
  socket.on('message:new', (/** @type {{ content: string }} */ message) => handlers.message(message.content));
  /** @type {Conn} */
  const conn = {
    async join(roomId, timeoutMs) {
      const answer = await socket.timeout(timeoutMs).emitWithAck('room:join', { roomId });
      if (!answer.ok) {
        throw new Error(answer.error?.code ?? 'JOIN_REFUSED');
      }
    },
    send(roomId, content, clientMsgId, timeoutMs, done) {
      socket.timeout(timeoutMs).emit('message:send', { roomId, content, clientMsgId }, (err, answer) => {
        if (err) {
          done(socket.connected ? 'ACK_TIMEOUT' : 'DISCONNECTED');
        } else {
          done(answer.ok ? null : (answer.error?.code ?? 'REFUSED'));
        }
      });
    },
    connected: () => socket.connected,
    close() {
      closing = true;
      socket.close();
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('session', () => {
      socket.on('disconnect', (reason) => {
        if (!closing) {
          handlers.closed(reason);
        }
      });
      resolve(conn);
    });
    socket.once('connect_error', (error) => {
      socket.close();
      reject(new Error(error.message));
    });
  });
}

/**
 * Connects a raw WebSocket to the ws baseline.
 * @param {ConnSpec} spec
 * @param {ConnHandlers} handlers
 * @returns {Promise<Conn>}
 */
function openWs(spec, handlers) {
  const ws = new WebSocket(spec.url, {
    perMessageDeflate: false,
    localAddress: spec.localAddress,
    handshakeTimeout: spec.timeoutMs,
  });
  let closing = false;
  let nextId = 0;
  /** @type {Map<number, (result: { ok: boolean, error?: { code: string } } | null) => void>} */
  const pending = new Map();
  /**
   * @param {unknown[]} frame
   * @param {number} timeoutMs
   * @param {(result: { ok: boolean, error?: { code: string } } | null) => void} callback  null on timeout
   */
  const request = (frame, timeoutMs, callback) => {
    const id = ++nextId;
    const timer = setTimeout(() => {
      pending.delete(id);
      callback(null);
    }, timeoutMs);
    pending.set(id, (result) => {
      clearTimeout(timer);
      pending.delete(id);
      callback(result);
    });
    ws.send(JSON.stringify([frame[0], id, ...frame.slice(1)]));
  };
  ws.on('message', (data) => {
    const [type, a, b] = JSON.parse(String(data));
    if (type === 'message:new') {
      handlers.message(a.content);
    } else if (type === 'ack') {
      pending.get(a)?.(b);
    }
  });
  /** @type {Conn} */
  const conn = {
    join: (roomId, timeoutMs) =>
      new Promise((resolve, reject) =>
        request(['join', roomId], timeoutMs, (result) => (result?.ok ? resolve() : reject(new Error('JOIN_TIMEOUT')))),
      ),
    send(roomId, content, clientMsgId, timeoutMs, done) {
      request(['send', roomId, content, clientMsgId], timeoutMs, (result) =>
        done(
          result === null
            ? ws.readyState === WebSocket.OPEN
              ? 'ACK_TIMEOUT'
              : 'DISCONNECTED'
            : result.ok
              ? null
              : (result.error?.code ?? 'REFUSED'),
        ),
      );
    },
    connected: () => ws.readyState === WebSocket.OPEN,
    close() {
      closing = true;
      ws.close();
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.on('error', () => {}); // a reset is followed by 'close', which reports it
      ws.on('close', (code) => !closing && handlers.closed(`close ${code}`));
      resolve(conn);
    });
    ws.once('error', (error) => {
      ws.terminate();
      reject(error);
    });
  });
}

/**
 * Opens a connection and joins its room.
 * @param {'socket.io' | 'ws'} protocol
 * @param {'wire' | 'library'} client  for Socket.IO: the lean wire client (wire-client.mjs) or socket.io-client
 * @param {ConnSpec & { roomId: string }} spec
 * @param {ConnHandlers} handlers
 */
export async function connectAndJoin(protocol, client, spec, handlers) {
  const conn = await (protocol === 'ws'
    ? openWs(spec, handlers)
    : client === 'library'
      ? openSocketIo(spec, handlers)
      : openSocketIoWire(spec, handlers));
  try {
    await conn.join(spec.roomId, spec.timeoutMs);
  } catch (error) {
    conn.close();
    throw error;
  }
  return conn;
}
