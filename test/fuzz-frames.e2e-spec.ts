import vm from 'node:vm';
import request from 'supertest';
import { createRoom, emitAck, guest, nextEvent, record, type Ack } from './utils/clients.js';
import { ERROR_CODES } from './utils/contract.js';
import { useChatApp } from './utils/harness.js';
import {
  closedWithin,
  fatalFrames,
  hostileJson,
  openRaw,
  parseAck,
  seededRandom,
  type Random,
  type RawSocket,
} from './utils/raw-socket.js';

/** Replay a run with FUZZ_SEED=<seed>; each worker draws from seed + its index. */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));
const WORKERS = 4;
const FRAMES_PER_WORKER = 4000;
const BUDGET_MS = 35_000;
/** Socket.IO's maxHttpBufferSize (MAX_PAYLOAD_BYTES, 16 KiB by default). */
const MAX_PAYLOAD = 16 * 1024;

const CLIENT_EVENTS = ['room:join', 'room:leave', 'message:send', 'room:history', 'room:typing', 'user:rename'];
const ODD_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'session', 'message:new'];
/** Frames after which the server keeps the connection (the library ignores or answers them). */
const HARMLESS = ['3', '5', '6', '40/nope,{}'];
/** The same, once connected to /chat: acks nobody asked for. */
const HARMLESS_CONNECTED = [...HARMLESS, '43/chat,424242[]', '43/chat,1["x"]'];

/** Totals over all workers; `acks` counts how acks answered: "ok" or the error code. */
interface Stats {
  frames: number;
  connections: number;
  serverCloses: number;
  oversized: number;
  acks: Record<string, number>;
}

/** One raw connection: frames before and after `40/chat`, a burst, one way to end. Returns the frames sent. */
async function session(url: string, r: Random, token: string, roomId: string, stats: Stats): Promise<number> {
  const raw = await openRaw(url);
  stats.connections += 1;
  try {
    for (let i = r.int(0, 3); i > 0; i -= 1) {
      raw.send(r.chance(0.5) ? r.pick(HARMLESS) : `40/chat,${hostileAuth(r)}`);
    }
    if (r.chance(0.9)) {
      raw.send(`40/chat,{"token":"${token}"}`);
      await raw.waitFor((frame) => frame.startsWith('40/chat,{"sid"'));
      await burst(raw, r, roomId, stats);
    }
    const ending = r.int(0, 99);
    if (ending < 45) {
      const oversized = ending < 3;
      const frames = oversized ? [oversizedFrame(r)] : fatalFrames(r, '/chat');
      frames.forEach((frame) => raw.send(frame));
      const closed = await closedWithin(raw, 3000);
      // An oversized frame is refused by the WebSocket layer itself: 1009 "Message Too Big".
      expect(closed).toEqual(expect.objectContaining(oversized ? { byServer: true, code: 1009 } : { byServer: true }));
      stats.oversized += oversized ? 1 : 0;
      stats.serverCloses += 1;
    }
  } catch (error) {
    const received = raw.received.map((f) => f.slice(0, 100));
    throw new Error(`${String(error)}\nsent: ${JSON.stringify(raw.sent)}\nreceived: ${JSON.stringify(received)}`);
  } finally {
    raw.close();
    stats.frames += raw.sent.length;
  }
  return raw.sent.length;
}

/** Survivable hostile frames; every event with an ack id must be answered, with a documented code. */
async function burst(raw: RawSocket, r: Random, roomId: string, stats: Stats): Promise<void> {
  const pending = new Set<number>();
  let nextId = 1;
  for (let n = r.int(20, 60); n > 0; n -= 1) {
    const kind = r.int(0, 19);
    const id = r.chance(0.1) ? '' : r.chance(0.05) ? '99999999999999999999' : String(nextId++);
    const name = r.chance(0.75) ? JSON.stringify(r.pick(CLIENT_EVENTS)) : eventName(r);
    if (kind === 0) {
      raw.send(r.pick(HARMLESS_CONNECTED));
      continue;
    }
    if (kind === 1) {
      const at = r.pick([
        '{"_placeholder":true,"num":0}',
        `{"roomId":"${roomId}","content":{"_placeholder":true,"num":0}}`,
      ]);
      const proto = r.chance(0.5) ? '' : ',{"__proto__":{"_placeholder":true,"num":0}}';
      raw.send(`451-/chat,${id}[${name},${at}${proto}]`);
      raw.send(Buffer.alloc(r.int(0, 2000), r.int(0, 255)));
    } else {
      const frame = `42/chat,${id}[${name},${payload(r, roomId)}${r.chance(0.1) ? `,${hostileJson(r, 2)}` : ''}]`;
      raw.send(Buffer.byteLength(frame) < MAX_PAYLOAD ? frame : `42/chat,${id}[${name},{}]`);
    }
    if (/^\d{1,6}$/.test(id)) {
      pending.add(Number(id));
    }
  }
  // Unknown events are answered at once: the sentinel's ack means the burst has been read.
  raw.send(`42/chat,${nextId}["fuzz:sentinel"]`);
  pending.add(nextId);
  const replies = await Promise.all(
    [...pending].map(async (id) => parseAck(await raw.waitFor((f) => parseAck(f, '/chat')?.id === id), '/chat')),
  );
  const refused = replies.filter((ack) => {
    const code = (ack?.reply as Ack).error?.code;
    stats.acks[code ?? 'ok'] = (stats.acks[code ?? 'ok'] ?? 0) + 1;
    return code === 'INTERNAL' || (code !== undefined && !ERROR_CODES.includes(code as never));
  });
  expect(refused).toEqual([]);
}

/** Text or binary, a little or a lot over the limit. */
function oversizedFrame(r: Random): string | Buffer {
  const size = r.int(MAX_PAYLOAD + 1, 40_000);
  return r.chance(0.5) ? Buffer.alloc(size, 7) : `42/chat,["message:send",{"content":"${'x'.repeat(size)}"}]`;
}

function eventName(r: Random): string {
  return r.chance(0.2)
    ? r.pick(['0', '-1', '1e21'])
    : JSON.stringify(r.chance(0.1) ? 'x'.repeat(500) : r.pick(ODD_NAMES));
}

/** Refused handshakes: the connection stays and may try again. */
function hostileAuth(r: Random): string {
  const tokens = [hostileJson(r, 2), '"a.b.c"', `"${'e'.repeat(8000)}"`];
  return r.chance(0.2) ? '{"__proto__":{"token":"x"}}' : r.chance(0.1) ? '{}' : `{"token":${r.pick(tokens)}}`;
}

/** A payload for a client event: valid actions on the control room, near misses and garbage. */
function payload(r: Random, roomId: string): string {
  switch (r.int(0, 5)) {
    case 0:
      return `{"roomId":"${roomId}"}`;
    case 1:
      return `{"roomId":"${roomId}","content":${JSON.stringify(`fuzz ${r.int(0, 1e6)}`)}}`;
    case 2:
      return `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"roomId":"${roomId}","content":"p"}`;
    case 3: {
      const keys = ['roomId', 'content', 'clientMsgId', 'since', 'before', 'after', 'limit', 'typing', 'username'];
      return `{${keys
        .filter(() => r.chance(0.4))
        .map((k) => `"${k}":${hostileJson(r, 1)}`)
        .join(',')}}`;
    }
    default:
      return hostileJson(r, 0);
  }
}

/** API.md §4 under hostile input: garbage on the wire costs its sender the connection, nobody else. */
describe('fuzzed Engine.IO / Socket.IO frames (memory engine)', () => {
  const t = useChatApp();

  it('survives 10,000+ malformed frames while an honest room keeps chatting in order', async () => {
    const host = vm.runInThisContext('process') as NodeJS.Process; // Jest's `process` is a copy
    const crashes: string[] = [];
    const onCrash = (error: unknown): void => void crashes.push(String(error));
    host.on('unhandledRejection', onCrash).on('uncaughtException', onCrash);
    const stats: Stats = { frames: 0, connections: 0, serverCloses: 0, oversized: 0, acks: {} };
    try {
      const [ada, bob, fuzzer] = await Promise.all(['ada', 'bob', 'fuzzer'].map((n) => guest(t.url, n)));
      const roomId = (await createRoom(t.url, ada.accessToken)).id as string;
      const [speaker, listener] = await Promise.all([t.open(ada), t.open(bob)]);
      await t.join(speaker, roomId);
      await t.join(listener, roomId);
      const drops = [...record(speaker, 'disconnect'), ...record(listener, 'disconnect')];
      const heard = record<{ userId: string; content: string; seq: number }>(listener, 'message:new');

      let fuzzing = true;
      const said: Array<{ content: string; seq: number }> = [];
      const chat = (async () => {
        for (let i = 0; fuzzing; i += 1) {
          const ack = await emitAck(speaker, 'message:send', { roomId, content: `control ${i}` });
          expect(ack).toMatchObject({ ok: true });
          said.push({ content: `control ${i}`, seq: (ack.message as { seq: number }).seq });
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      chat.catch(() => (fuzzing = false)); // awaited below; a failure stops the fuzzing first
      const deadline = Date.now() + BUDGET_MS;
      const worker = async (index: number): Promise<void> => {
        const r = seededRandom(SEED + index);
        try {
          for (let frames = 0; fuzzing && frames < FRAMES_PER_WORKER && Date.now() < deadline;) {
            frames += await session(t.url, r, fuzzer.accessToken, roomId, stats);
          }
        } catch (error) {
          fuzzing = false; // the first failure stops the other workers and the chat
          throw error;
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i)));
      fuzzing = false;
      await chat;

      const last = nextEvent(listener, 'message:new', (m: { content: string }) => m.content === 'control end');
      await emitAck(speaker, 'message:send', { roomId, content: 'control end' });
      await last;
      await request(t.url).get('/health/live').expect(200);
      console.log(`fuzz seed ${SEED}: ${JSON.stringify(stats)}, ${said.length} control messages`);

      expect(stats.frames).toBeGreaterThanOrEqual(10_000);
      expect(stats.oversized).toBeGreaterThanOrEqual(1);
      const control = heard.filter((m) => m.userId === ada.user.id && m.content !== 'control end');
      expect(control.map((m) => ({ content: m.content, seq: m.seq }))).toEqual(said);
      expect(said.every((m, i) => i === 0 || m.seq > said[i - 1].seq)).toBe(true);
      expect([speaker.connected, listener.connected, drops]).toEqual([true, true, []]);
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
      expect(crashes).toEqual([]);
    } catch (error) {
      console.error(`fuzz failed: replay with FUZZ_SEED=${SEED} (${JSON.stringify(stats)})`);
      throw error;
    } finally {
      host.off('unhandledRejection', onCrash).off('uncaughtException', onCrash);
    }
  }, 60_000);

  it('answers a payload nested thousands deep VALIDATION_FAILED, not INTERNAL (socket and HTTP)', async () => {
    const user = await guest(t.url, 'deep');
    const deep = `${'['.repeat(4000)}${']'.repeat(4000)}`;
    const raw = await openRaw(t.url);
    raw.send(`40/chat,{"token":"${user.accessToken}"}`);
    await raw.waitFor((f) => f.startsWith('40/chat,{"sid"'));
    raw.send(`42/chat,1["message:send",{"roomId":"r","content":${deep}}]`);
    const ack = parseAck(await raw.waitFor((f) => f.startsWith('43/chat,1[')), '/chat');
    raw.close();
    expect(ack?.reply).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });

    const res = await request(t.url)
      .post('/api/v1/rooms')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .set('Content-Type', 'application/json')
      .send(`{"name":"deep","topic":${deep.slice(1500, 6500)}}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
