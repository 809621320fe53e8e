import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { createRoom, emitAck, guest, nextEvent, type Ack } from './utils/clients.js';
import { useChatApp } from './utils/harness.js';

/** A string well past every field limit but inside one Socket.IO packet (MAX_PAYLOAD_BYTES = 16 KB). */
const HUGE = 'x'.repeat(12_000);
const EVENTS = ['room:join', 'room:leave', 'message:send', 'room:history', 'room:typing', 'user:rename'] as const;
type ChatEvent = (typeof EVENTS)[number];

/** Emits with exactly these arguments (none = a missing payload) and an ack. */
const emitArgs = (socket: Socket, event: string, args: unknown[]): Promise<Ack> =>
  socket.timeout(5000).emitWithAck(event, ...args) as Promise<Ack>;

/** Payloads that are not objects at all, for every event: [label, arguments]. */
const NOT_OBJECTS: Array<[string, unknown[]]> = [
  ['a missing payload', []],
  ['a string', ['room-id']],
  ['a number', [42]],
  ['null', [null]],
  ['a boolean', [true]],
  ['an array', [[]]],
  ['two arguments', [{ roomId: 'r' }, { roomId: 'r' }]],
];

/** Well-formed JSON with wrong fields, per event; `R` stands for a real room the user is in. */
const R = '<room>';
const WRONG_FIELDS: Record<ChatEvent, object[]> = {
  'room:join': [
    {},
    { roomId: 42 },
    { roomId: '' },
    { roomId: HUGE },
    { roomId: R, password: 1234 },
    { roomId: R, password: HUGE },
    { roomId: R, since: 'yesterday' },
    { roomId: R, since: {} },
    { roomId: R, since: [] },
    { roomId: R, since: { seq: '3', epoch: 'e' } },
    { roomId: R, since: { seq: -1, epoch: 'e' } },
    { roomId: R, since: { seq: 1.5, epoch: 'e' } },
    { roomId: R, since: { seq: 1 } },
    { roomId: R, since: { seq: 1, epoch: HUGE } },
  ],
  'room:leave': [{}, { roomId: 42 }, { roomId: null }, { roomId: ['r'] }, { roomId: {} }, { roomId: HUGE }],
  'message:send': [
    { roomId: R },
    { content: 'hi' },
    { roomId: 42, content: 'hi' },
    { roomId: 'no-such-room', content: 42 },
    { roomId: R, content: HUGE },
    { roomId: R, content: { toString: 'hi' } },
    { roomId: R, content: 'hi', clientMsgId: 42 },
    { roomId: R, content: 'hi', clientMsgId: '' },
    { roomId: R, content: 'hi', clientMsgId: 'c'.repeat(65) },
  ],
  'room:history': [
    {},
    { roomId: 42 },
    { roomId: R, before: '5' },
    { roomId: R, before: 0 },
    { roomId: R, after: -1 },
    { roomId: R, after: 'x' },
    { roomId: R, limit: 0 },
    { roomId: R, limit: 101 },
    { roomId: R, limit: 1.5 },
    { roomId: R, limit: '10' },
    { roomId: HUGE, limit: 10 },
  ],
  'room:typing': [
    { roomId: R },
    { typing: true },
    { roomId: R, typing: 'yes' },
    { roomId: R, typing: 1 },
    { roomId: 'no-such-room', typing: null },
  ],
  'user:rename': [{}, { username: 42 }, { username: '' }, { username: HUGE }, { username: 'no/slashes' }],
};

/** A valid event of each kind, which must still succeed after the malformed ones. */
const VALID: Record<ChatEvent, (roomId: string) => object> = {
  'room:join': (roomId) => ({ roomId }),
  'room:leave': (roomId) => ({ roomId }),
  'message:send': (roomId) => ({ roomId, content: 'still here' }),
  'room:history': (roomId) => ({ roomId, limit: 10 }),
  'room:typing': (roomId) => ({ roomId, typing: false }),
  'user:rename': () => ({ username: 'still valid' }),
};

/** API.md §4: a malformed payload is VALIDATION_FAILED, always answered; the socket stays usable. */
describe('/chat payload validation', () => {
  const t = useChatApp();

  /** A guest connected and seated in a fresh room. */
  const member = async (name: string, roomId?: string) => {
    const auth = await guest(t.url, name);
    const id = roomId ?? ((await createRoom(t.url, auth.accessToken)).id as string);
    const socket = await t.open(auth);
    await t.join(socket, id);
    return { socket, roomId: id };
  };

  it.each(EVENTS)('%s: every malformed payload is VALIDATION_FAILED and the socket stays usable', async (event) => {
    const { socket, roomId } = await member('val');
    const fields = WRONG_FIELDS[event].map((p) => JSON.parse(JSON.stringify(p).replaceAll(R, roomId)) as object);
    const cases: Array<[string, unknown[]]> = [
      ...NOT_OBJECTS,
      ...fields.map((p): [string, unknown[]] => [JSON.stringify(p).slice(0, 80), [p]]),
    ];
    for (const [label, args] of cases) {
      const ack = await emitArgs(socket, event, args);
      expect({ label, ack }).toEqual({
        label,
        ack: {
          ok: false,
          error: { code: 'VALIDATION_FAILED', message: expect.any(String), details: expect.anything() },
        },
      });
    }
    socket.emit(event, 'no ack at all');
    expect(socket.connected).toBe(true);
    expect(await emitAck(socket, event, VALID[event](roomId))).toMatchObject({ ok: true });
  });

  it('validates the payload before anything else: no seq is taken and nobody is told', async () => {
    const { socket: a, roomId } = await member('ada');
    const { socket: b } = await member('bob', roomId);
    const seen: unknown[] = [];
    b.on('message:new', (m) => seen.push(m));
    b.on('room:typing', (e) => seen.push(e));
    for (const payload of [
      { roomId, content: '' },
      { roomId, content: 7 },
      { roomId, typing: 'no' },
    ]) {
      const event = 'content' in payload ? 'message:send' : 'room:typing';
      expect((await emitAck(a, event, payload)).error?.code).toBe('VALIDATION_FAILED');
    }
    const next = nextEvent(b, 'message:new');
    expect(await emitAck(a, 'message:send', { roomId, content: 'first' })).toMatchObject({
      ok: true,
      message: { seq: 1 },
    });
    expect(await next).toMatchObject({ seq: 1, content: 'first' });
    expect(seen).toHaveLength(1);
  });

  it('disconnects a socket that sends a packet over MAX_PAYLOAD_BYTES; the server keeps serving', async () => {
    const { socket: a, roomId } = await member('ada');
    const { socket: b } = await member('bob', roomId);
    const { socket: big } = await member('big', roomId);
    const dropped = new Promise<string>((resolve) => big.once('disconnect', resolve));
    const left = nextEvent(a, 'room:member-left');
    big.emit('message:send', { roomId, content: 'x'.repeat(20_000) });
    expect(await dropped).toMatch(/transport (close|error)/);

    expect(await left).toMatchObject({ roomId, user: { username: 'big' }, memberCount: 2, reason: 'disconnected' });
    const got = nextEvent(b, 'message:new');
    expect(await emitAck(a, 'message:send', { roomId, content: 'after' })).toMatchObject({
      ok: true,
      message: { seq: 1 },
    });
    expect(await got).toMatchObject({ seq: 1, content: 'after' });
    await request(t.url).get('/health/live').expect(200);
    expect((await member('back', roomId)).socket.connected).toBe(true);
  });
});
