import { WebSocket } from 'ws';

import type { Random } from './seeded-random.js';

export { seededRandom, type Random } from './seeded-random.js';

/** How a raw connection ended: the WebSocket close code and whether the server closed it. */
export interface RawClose {
  code: number;
  byServer: boolean;
}

/**
 * A WebSocket that speaks Engine.IO v4 by hand: nothing is checked or encoded for the caller, so
 * it can send what no Socket.IO client would. It answers the server's pings so that it stays open.
 */
export interface RawSocket {
  /** Text frames received so far (binary frames are not kept). */
  readonly received: string[];
  /** What was sent so far, one line per frame (text cut at 100 characters, binary as its size). */
  readonly sent: string[];
  /** Resolves once the connection closed. */
  readonly closed: Promise<RawClose>;
  /** Sends one frame when the connection is open; returns whether it was sent. */
  send(frame: string | Buffer): boolean;
  /** Resolves with the first received text frame (past or future) that matches; rejects on timeout or close. */
  waitFor(match: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  close(): void;
}

/** Opens `ws://…/socket.io/?EIO=4&transport=websocket` and resolves once the Engine.IO open packet arrived. */
export function openRaw(httpUrl: string): Promise<RawSocket> {
  const ws = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const received: string[] = [];
  const sent: string[] = [];
  const waiters = new Set<{ match: (frame: string) => boolean; settle: (frame?: string) => void }>();
  let closedByClient = false;

  const closed = new Promise<RawClose>((resolve) => {
    ws.once('close', (code) => {
      for (const waiter of waiters) {
        waiter.settle();
      }
      resolve({ code, byServer: !closedByClient });
    });
  });
  // A write racing the server's close surfaces here; the close itself is what the caller sees.
  ws.on('error', () => undefined);
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      return;
    }
    const frame = (data as Buffer).toString('utf8');
    if (frame === '2') {
      ws.send('3');
    }
    received.push(frame);
    for (const waiter of waiters) {
      if (waiter.match(frame)) {
        waiter.settle(frame);
      }
    }
  });

  const socket: RawSocket = {
    received,
    sent,
    closed,
    send: (frame) => {
      if (ws.readyState !== WebSocket.OPEN) {
        return false;
      }
      ws.send(frame);
      sent.push(typeof frame === 'string' ? frame.slice(0, 100) : `<binary ${frame.length}>`);
      return true;
    },
    waitFor: (match, timeoutMs = 5000) => {
      const past = received.find(match);
      if (past !== undefined) {
        return Promise.resolve(past);
      }
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          settle: (frame?: string) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            if (frame === undefined) {
              reject(new Error('the connection closed first'));
            } else {
              resolve(frame);
            }
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching frame within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
        if (ws.readyState === WebSocket.CLOSED) {
          waiter.settle();
        }
      });
    },
    close: () => {
      closedByClient ||= ws.readyState === WebSocket.OPEN;
      ws.close();
    },
  };
  return socket.waitFor((frame) => frame.startsWith('0{'), 5000).then(() => socket);
}

/** The id and first argument of a Socket.IO ack on `nsp` (`43/chat,12[{…}]`), or null. */
export function parseAck(frame: string, nsp: string): { id: number; reply: unknown } | null {
  const match = new RegExp(`^43${nsp},(\\d+)(\\[.*)$`, 's').exec(frame);
  if (match === null) {
    return null;
  }
  return { id: Number(match[1]), reply: (JSON.parse(match[2]) as unknown[])[0] };
}

/** Resolves with how the connection closed, or null when it is still open after `timeoutMs`. */
export async function closedWithin(raw: RawSocket, timeoutMs: number): Promise<RawClose | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  const closed = await Promise.race([raw.closed, timeout]);
  clearTimeout(timer);
  return closed;
}

const NAN_ISH = ['', 'NaN', '-NaN', 'Infinity', '-Infinity', '1e999', '-0', '0x1f', ' 42 '];
const UNICODE = ['\u0000', '\ud800', '\u202e\u0301', '💬'.repeat(40)];
const INJECTIONS = [
  '<img src=x onerror=alert(1)>',
  '%s%s%n',
  '${7*7}{{7*7}}',
  "'; DROP TABLE rooms; --",
  '../../etc/passwd',
];
const ODD_STRINGS = [...NAN_ISH, ...UNICODE, ...INJECTIONS, '__proto__', 'constructor'];
const ODD_NUMBERS = ['0', '-1', '-0', '1e308', '-1e308', '5e-324', '9007199254740993', '1.5', '1e21', '2147483648'];
const ODD_KEYS = ['roomId', 'content', 'since', 'seq', 'epoch', 'limit', '__proto__', 'constructor', 'prototype'];
/** Nesting depths of deep values: about a thousand, as API clients might send (deeper: a test of its own). */
const DEPTHS = [10, 100, 500, 1000];

/**
 * A random hostile JSON text: odd numbers and strings (NaN-ish, lone surrogates, markup), long
 * strings, `__proto__` / `constructor` keys, nesting up to a thousand levels. Under 8 KiB.
 */
export function hostileJson(r: Random, depth = 0): string {
  const text = hostileValue(r, depth);
  return Buffer.byteLength(text) > 8192 ? JSON.stringify(r.pick(ODD_STRINGS)) : text;
}

function hostileValue(r: Random, depth: number): string {
  switch (r.int(0, depth >= 2 ? 5 : 8)) {
    case 0:
      return r.pick(['null', 'true', 'false']);
    case 1:
      return r.pick(ODD_NUMBERS);
    case 2:
      return JSON.stringify(r.pick(ODD_STRINGS));
    case 3:
      return JSON.stringify(
        Array.from({ length: r.int(1, 400) }, () => String.fromCharCode(r.int(0, 0xffff))).join(''),
      );
    case 4:
      return JSON.stringify('x'.repeat(r.int(100, 6000)));
    case 5: {
      const levels = r.pick(DEPTHS);
      return r.chance(0.5)
        ? '['.repeat(levels) + ']'.repeat(levels)
        : '{"a":'.repeat(levels) + '0' + '}'.repeat(levels);
    }
    case 6:
      return `[${Array.from({ length: r.int(0, 3) }, () => hostileValue(r, depth + 1)).join(',')}]`;
    default: {
      const keys = Array.from({ length: r.int(0, 3) }, () => r.pick(ODD_KEYS));
      return `{${keys.map((key) => `"${key}":${hostileValue(r, depth + 1)}`).join(',')}}`;
    }
  }
}

const FATAL = ['', '7', '9xyz', '\u0000', '2', '2probe', '4', '4x', '47', '42garbage', '42/chat,{"a":1}', '42/chat,[]'];
const RESERVED = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];
const BINARY_HEADERS = ['4599999999-', '4511-', '450-', '45-1-', '45x-'];

/**
 * A frame (or a few) that Engine.IO or Socket.IO refuses to parse, so that the server closes the
 * connection: unknown packet types, a client ping, broken JSON, reserved event names, negative ack
 * ids, events for a namespace never joined, absurd attachment counts, placeholders out of range,
 * binary data nobody announced.
 */
export function fatalFrames(r: Random, nsp: string): Array<string | Buffer> {
  switch (r.int(0, 6)) {
    case 0:
      return [r.pick(FATAL)];
    case 1:
      return [`4${r.pick(['x', '7', '8', '9', '#'])}${garbage(r)}`];
    case 2:
      return [`42${r.pick(['', `${nsp},`, `${nsp},${r.int(0, 99)}`])}[${garbage(r)},`];
    case 3:
      return [r.pick([`42${nsp},[${JSON.stringify(r.pick(RESERVED))}]`, `42${nsp},-5["x"]`, '42/nope,["x"]'])];
    case 4:
      return [`${r.pick(BINARY_HEADERS)}${nsp},["x",{"_placeholder":true,"num":0}]`];
    case 5:
      return [`451-${nsp},["x",{"_placeholder":true,"num":7}]`, Buffer.from([r.int(0, 255)])];
    default:
      return [Buffer.from(Array.from({ length: r.int(1, 64) }, () => r.int(0, 255)))];
  }
}

/** Printable junk that can never close a JSON array (no `]`, no `"`). */
function garbage(r: Random): string {
  return Array.from({ length: r.int(0, 40) }, () => String.fromCharCode(r.int(32, 126)))
    .join('')
    .replace(/[\]"]/g, '');
}
