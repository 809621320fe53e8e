import request from 'supertest';
import { createRoom, emitAck, guest, nextEvent, type AuthBody } from './utils/clients.js';
import { ERROR_CODES } from './utils/contract.js';
import { useChatApp } from './utils/harness.js';

const ERROR_KEYS = ['statusCode', 'code', 'message', 'details'];
const ROOM_PASSWORD = 'open sesame';

/** Asserts the contract's error body: exactly `{ statusCode, code, message, details? }`. */
function expectError(res: request.Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/application\/json/);
  expect(res.body.statusCode).toBe(status);
  expect(ERROR_CODES).toContain(res.body.code);
  expect(typeof res.body.message).toBe('string');
  expect(res.body.message.length).toBeGreaterThan(0);
  expect(Object.keys(res.body).every((key) => ERROR_KEYS.includes(key))).toBe(true);
}

/** A 400 VALIDATION_FAILED whose details name `field`. */
function expectInvalid(res: request.Response, field: string): void {
  expectError(res, 400, 'VALIDATION_FAILED');
  expect(Array.isArray(res.body.details)).toBe(true);
  expect((res.body.details as { field: string }[]).map((d) => d.field)).toContain(field);
}

const ROOM_SHAPE = {
  id: expect.any(String),
  name: expect.any(String),
  visibility: expect.stringMatching(/^(public|private)$/),
  hasPassword: expect.any(Boolean),
  maxUsers: expect.any(Number),
  ownerId: expect.any(String),
  createdAt: expect.any(String),
  expiresAt: expect.any(String),
  memberCount: expect.any(Number),
  epoch: expect.any(String),
  lastSeq: expect.any(Number),
};

const isoMs = (value: string): number => {
  expect(new Date(value).toISOString()).toBe(value);
  return Date.parse(value);
};

describe('rooms (REST)', () => {
  const t = useChatApp();
  let ada: AuthBody;
  let bob: AuthBody;
  const api = () => request(t.url);
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    ada = await guest(t.url, 'ada');
    bob = await guest(t.url, 'bob');
  });

  describe('POST /rooms', () => {
    it('creates a public room with the defaults, owned by the caller', async () => {
      const before = Date.now();
      const res = await api().post('/api/v1/rooms').set(auth(ada.accessToken)).send({ name: 'lobby' }).expect(201);
      const room = res.body;
      expect(room).toEqual(expect.objectContaining(ROOM_SHAPE));
      expect(room).toMatchObject({
        name: 'lobby',
        topic: null,
        visibility: 'public',
        hasPassword: false,
        maxUsers: 20,
        ownerId: ada.user.id,
        memberCount: 0,
        lastSeq: 0,
      });
      const createdAt = isoMs(room.createdAt);
      expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
      expect(createdAt).toBeLessThanOrEqual(Date.now() + 1000);
      expect(Math.abs(isoMs(room.expiresAt) - createdAt - 600_000)).toBeLessThanOrEqual(1000);
    });

    it('takes every option and never returns the password', async () => {
      const res = await api()
        .post('/api/v1/rooms')
        .set(auth(ada.accessToken))
        .send({
          name: 'secret lair',
          topic: 'plans',
          visibility: 'private',
          password: ROOM_PASSWORD,
          maxUsers: 2,
          ttlSeconds: 3600,
        })
        .expect(201);
      expect(res.body).toMatchObject({
        name: 'secret lair',
        topic: 'plans',
        visibility: 'private',
        hasPassword: true,
        maxUsers: 2,
        ownerId: ada.user.id,
      });
      expect(Math.abs(isoMs(res.body.expiresAt) - isoMs(res.body.createdAt) - 3_600_000)).toBeLessThanOrEqual(1000);
      expect(res.text).not.toContain(ROOM_PASSWORD);
      expect(res.body).not.toHaveProperty('password');
      expect(res.body).not.toHaveProperty('passwordHash');
      const fetched = await api().get(`/api/v1/rooms/${res.body.id}`).expect(200);
      expect(fetched.text).not.toContain(ROOM_PASSWORD);
      expect(fetched.text).not.toMatch(/scrypt/);
    });

    it.each([
      ['name of 1 character', { name: 'x' }],
      ['name of 64 characters', { name: 'n'.repeat(64) }],
      ['topic of 256 characters', { topic: 't'.repeat(256) }],
      ['empty topic', { topic: '' }],
      ['password of 4 characters', { password: 'abcd' }],
      ['password of 128 characters', { password: 'p'.repeat(128) }],
      ['maxUsers 2', { maxUsers: 2 }],
      ['maxUsers 1000', { maxUsers: 1000 }],
      ['ttlSeconds 60', { ttlSeconds: 60 }],
      ['ttlSeconds 604800 (7 days)', { ttlSeconds: 604800 }],
      ['visibility public', { visibility: 'public' }],
    ])('accepts a %s', async (_label, body) => {
      const room = await createRoom(t.url, ada.accessToken, body);
      const { password, ttlSeconds, ...echoed } = body as Record<string, unknown>;
      expect(room).toMatchObject(echoed);
      expect(room.hasPassword).toBe(password !== undefined);
      if (typeof ttlSeconds === 'number') {
        expect(Math.abs(isoMs(room.expiresAt) - isoMs(room.createdAt) - ttlSeconds * 1000)).toBeLessThanOrEqual(1000);
      }
    });

    it.each([
      ['no name', { name: undefined }, 'name'],
      ['an empty name', { name: '' }, 'name'],
      ['a blank name', { name: '   ' }, 'name'],
      ['a 65-character name', { name: 'n'.repeat(65) }, 'name'],
      ['a numeric name', { name: 12 }, 'name'],
      ['a 257-character topic', { topic: 't'.repeat(257) }, 'topic'],
      ['a numeric topic', { topic: 5 }, 'topic'],
      ['an unknown visibility', { visibility: 'secret' }, 'visibility'],
      ['a 3-character password', { password: 'abc' }, 'password'],
      ['a 129-character password', { password: 'p'.repeat(129) }, 'password'],
      ['a numeric password', { password: 123456 }, 'password'],
      ['maxUsers 1', { maxUsers: 1 }, 'maxUsers'],
      ['maxUsers 1001', { maxUsers: 1001 }, 'maxUsers'],
      ['maxUsers 0', { maxUsers: 0 }, 'maxUsers'],
      ['a fractional maxUsers', { maxUsers: 2.5 }, 'maxUsers'],
      ['a string maxUsers', { maxUsers: 'ten' }, 'maxUsers'],
      ['ttlSeconds 59', { ttlSeconds: 59 }, 'ttlSeconds'],
      ['ttlSeconds 604801', { ttlSeconds: 604801 }, 'ttlSeconds'],
      ['a negative ttlSeconds', { ttlSeconds: -600 }, 'ttlSeconds'],
      ['a fractional ttlSeconds', { ttlSeconds: 60.5 }, 'ttlSeconds'],
    ])('refuses %s with 400 VALIDATION_FAILED naming the field', async (_label, body, field) => {
      const res = await api()
        .post('/api/v1/rooms')
        .set(auth(ada.accessToken))
        .send({ name: 'limits', ...body });
      expectInvalid(res, field);
      expect(res.text).not.toContain('p'.repeat(129));
    });

    it('does not create a refused room', async () => {
      const name = 'refused-room-zz';
      await api().post('/api/v1/rooms').set(auth(ada.accessToken)).send({ name, maxUsers: 1 }).expect(400);
      const list = await api().get('/api/v1/rooms?limit=100').expect(200);
      expect(list.body.items.map((r: { name: string }) => r.name)).not.toContain(name);
    });

    it('refuses a body that is not an object', async () => {
      expectError(
        await api()
          .post('/api/v1/rooms')
          .set(auth(ada.accessToken))
          .send([{ name: 'array' }]),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('answers 401 UNAUTHORIZED without a token or with a bad one', async () => {
      expectError(await api().post('/api/v1/rooms').send({ name: 'anonymous' }), 401, 'UNAUTHORIZED');
      expectError(
        await api().post('/api/v1/rooms').set(auth('garbage')).send({ name: 'anonymous' }),
        401,
        'UNAUTHORIZED',
      );
    });

    it('checks the token before the body', async () => {
      expectError(await api().post('/api/v1/rooms').send({ name: '' }), 401, 'UNAUTHORIZED');
    });
  });

  describe('GET /rooms', () => {
    it('lists public rooms only; a private room is not listed', async () => {
      const pub = await createRoom(t.url, ada.accessToken, { name: 'listed' });
      const priv = await createRoom(t.url, ada.accessToken, { name: 'unlisted', visibility: 'private' });
      const res = await api().get('/api/v1/rooms').expect(200);
      expect(res.body).toEqual({ items: expect.any(Array), nextCursor: null });
      const ids = res.body.items.map((r: { id: string }) => r.id);
      expect(ids).toContain(pub.id);
      expect(ids).not.toContain(priv.id);
      for (const room of res.body.items) {
        expect(room).toEqual(expect.objectContaining(ROOM_SHAPE));
        expect(room.visibility).toBe('public');
      }
    });

    it('needs no token', async () => {
      await api().get('/api/v1/rooms').expect(200);
    });

    it('never lists a room password', async () => {
      await createRoom(t.url, ada.accessToken, { name: 'guarded', password: ROOM_PASSWORD });
      const res = await api().get('/api/v1/rooms?limit=100').expect(200);
      expect(res.text).not.toContain(ROOM_PASSWORD);
      expect(res.text).not.toMatch(/passwordHash|scrypt/);
    });

    it('walks every page with limit and cursor, without duplicates, ending with nextCursor null', async () => {
      const created = new Set<string>();
      for (let i = 0; i < 7; i++) {
        created.add((await createRoom(t.url, bob.accessToken, { name: `page room ${i}` })).id);
        await createRoom(t.url, bob.accessToken, { name: `hidden ${i}`, visibility: 'private' });
      }
      const total = (await api().get('/api/v1/rooms?limit=100').expect(200)).body.items.length;
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: Record<string, string | number> = { limit: 3 };
        if (cursor !== null) {
          query.cursor = cursor;
        }
        const res = await api().get('/api/v1/rooms').query(query).expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...res.body.items.map((r: { id: string; visibility: string }) => r.id));
        expect(res.body.items.every((r: { visibility: string }) => r.visibility === 'public')).toBe(true);
        cursor = res.body.nextCursor as string | null;
        pages++;
        expect(pages).toBeLessThan(100);
      } while (cursor !== null);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(total);
      for (const id of created) {
        expect(seen).toContain(id);
      }
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(total / 3));
    });

    it('answers a page with a nextCursor when more rooms follow', async () => {
      await createRoom(t.url, ada.accessToken, { name: 'one' });
      await createRoom(t.url, ada.accessToken, { name: 'two' });
      const res = await api().get('/api/v1/rooms?limit=1').expect(200);
      expect(res.body.items).toHaveLength(1);
      expect(typeof res.body.nextCursor).toBe('string');
    });

    it.each([
      ['limit=0', { limit: '0' }, 'limit'],
      ['limit=101', { limit: '101' }, 'limit'],
      ['limit=-1', { limit: '-1' }, 'limit'],
      ['limit=abc', { limit: 'abc' }, 'limit'],
      ['limit=1.5', { limit: '1.5' }, 'limit'],
      ['a malformed cursor', { cursor: 'not a cursor!' }, 'cursor'],
      ['a cursor of random base64', { cursor: Buffer.from('hello world').toString('base64url') }, 'cursor'],
      ['an oversized cursor', { cursor: 'c'.repeat(500) }, 'cursor'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_label, query, field) => {
      expectInvalid(await api().get('/api/v1/rooms').query(query), field);
    });
  });

  describe('GET /rooms/:id', () => {
    it('answers a public and a private room by id, no token needed', async () => {
      const pub = await createRoom(t.url, ada.accessToken, { name: 'by id' });
      const priv = await createRoom(t.url, ada.accessToken, { name: 'invite only', visibility: 'private' });
      expect((await api().get(`/api/v1/rooms/${pub.id}`).expect(200)).body).toEqual(pub);
      expect((await api().get(`/api/v1/rooms/${priv.id}`).expect(200)).body).toEqual(priv);
    });

    it('answers 404 ROOM_NOT_FOUND for an unknown id', async () => {
      expectError(await api().get('/api/v1/rooms/doesNotExist0000'), 404, 'ROOM_NOT_FOUND');
      expectError(await api().get('/api/v1/rooms/%E2%9C%93'), 404, 'ROOM_NOT_FOUND');
    });
  });

  describe('DELETE /rooms/:id', () => {
    it('lets the owner delete (204); members get room:closed "deleted"; then 404 everywhere', async () => {
      const room = await createRoom(t.url, ada.accessToken, { name: 'doomed' });
      const member = await t.open(bob);
      await t.join(member, room.id);
      const closed = nextEvent(member, 'room:closed');
      const res = await api().delete(`/api/v1/rooms/${room.id}`).set(auth(ada.accessToken)).expect(204);
      expect(res.text).toBe('');
      expect(await closed).toEqual({ roomId: room.id, reason: 'deleted' });
      expectError(await api().get(`/api/v1/rooms/${room.id}`), 404, 'ROOM_NOT_FOUND');
      expectError(await api().delete(`/api/v1/rooms/${room.id}`).set(auth(ada.accessToken)), 404, 'ROOM_NOT_FOUND');
      const list = await api().get('/api/v1/rooms?limit=100').expect(200);
      expect(list.body.items.map((r: { id: string }) => r.id)).not.toContain(room.id);
    });

    it('refuses anyone but the owner with 403 FORBIDDEN and keeps the room', async () => {
      const room = await createRoom(t.url, ada.accessToken, { name: 'mine' });
      expectError(await api().delete(`/api/v1/rooms/${room.id}`).set(auth(bob.accessToken)), 403, 'FORBIDDEN');
      await api().get(`/api/v1/rooms/${room.id}`).expect(200);
    });

    it('answers 401 without a token and 404 for an unknown room', async () => {
      const room = await createRoom(t.url, ada.accessToken, { name: 'still here' });
      expectError(await api().delete(`/api/v1/rooms/${room.id}`), 401, 'UNAUTHORIZED');
      await api().get(`/api/v1/rooms/${room.id}`).expect(200);
      expectError(await api().delete('/api/v1/rooms/nope').set(auth(ada.accessToken)), 404, 'ROOM_NOT_FOUND');
    });
  });

  describe('GET /rooms/:id/members and /messages', () => {
    const members = (roomId: string, token?: string) => {
      const req = api().get(`/api/v1/rooms/${roomId}/members`);
      return token === undefined ? req : req.set(auth(token));
    };
    const messages = (roomId: string, token?: string, query: Record<string, string | number> = {}) => {
      const req = api().get(`/api/v1/rooms/${roomId}/messages`).query(query);
      return token === undefined ? req : req.set(auth(token));
    };

    it('answers 401 without a token', async () => {
      const room = await createRoom(t.url, ada.accessToken, { name: 'needs token' });
      expectError(await members(room.id), 401, 'UNAUTHORIZED');
      expectError(await messages(room.id), 401, 'UNAUTHORIZED');
      expectError(await members(room.id, 'garbage'), 401, 'UNAUTHORIZED');
      expectError(await messages(room.id, 'garbage'), 401, 'UNAUTHORIZED');
    });

    it('answers 404 ROOM_NOT_FOUND for an unknown room', async () => {
      expectError(await members('nope', ada.accessToken), 404, 'ROOM_NOT_FOUND');
      expectError(await messages('nope', ada.accessToken), 404, 'ROOM_NOT_FOUND');
    });

    it('lets any authenticated user read an open room, public or private', async () => {
      for (const visibility of ['public', 'private']) {
        const room = await createRoom(t.url, ada.accessToken, { name: `open ${visibility}`, visibility });
        expect((await members(room.id, bob.accessToken).expect(200)).body).toEqual([]);
        expect((await messages(room.id, bob.accessToken).expect(200)).body).toEqual({
          items: [],
          epoch: room.epoch,
        });
      }
    });

    it('lists the users online now', async () => {
      const room = await createRoom(t.url, ada.accessToken, { name: 'who is here' });
      const a = await t.open(ada);
      const b = await t.open(bob);
      await t.join(a, room.id);
      await t.join(b, room.id);
      const res = await members(room.id, ada.accessToken).expect(200);
      expect(res.body).toHaveLength(2);
      expect(res.body).toEqual(expect.arrayContaining([ada.user, bob.user]));
      expect((await api().get(`/api/v1/rooms/${room.id}`).expect(200)).body.memberCount).toBe(2);
      expect((await emitAck(b, 'room:leave', { roomId: room.id })).ok).toBe(true);
      expect((await members(room.id, ada.accessToken).expect(200)).body).toEqual([ada.user]);
    });

    it('keeps a password room closed (403 NOT_A_MEMBER) until the user joined with the password', async () => {
      const room = await createRoom(t.url, ada.accessToken, { name: 'vault', password: ROOM_PASSWORD });
      const carol = await guest(t.url, 'carol');
      expectError(await members(room.id, carol.accessToken), 403, 'NOT_A_MEMBER');
      expectError(await messages(room.id, carol.accessToken), 403, 'NOT_A_MEMBER');

      const socket = await t.open(carol);
      const refused = await emitAck(socket, 'room:join', { roomId: room.id, password: 'wrong guess' });
      expect(refused.error?.code).toBe('WRONG_PASSWORD');
      expectError(await members(room.id, carol.accessToken), 403, 'NOT_A_MEMBER');
      expectError(await messages(room.id, carol.accessToken), 403, 'NOT_A_MEMBER');

      await t.join(socket, room.id, { password: ROOM_PASSWORD });
      expect((await members(room.id, carol.accessToken).expect(200)).body).toEqual([carol.user]);
      await messages(room.id, carol.accessToken).expect(200);

      // The grant lasts as long as the room, leaving and disconnecting included.
      expect((await emitAck(socket, 'room:leave', { roomId: room.id })).ok).toBe(true);
      expect((await members(room.id, carol.accessToken).expect(200)).body).toEqual([]);
      socket.close();
      await messages(room.id, carol.accessToken).expect(200);

      // Another user is still refused; the owner never had to type the password.
      expectError(await messages(room.id, bob.accessToken), 403, 'NOT_A_MEMBER');
      await messages(room.id, ada.accessToken).expect(200);
      await members(room.id, ada.accessToken).expect(200);
    });

    describe('history paging', () => {
      let room: Record<string, any>;
      const TOTAL = 12;
      const seqs = (res: request.Response): number[] => res.body.items.map((m: { seq: number }) => m.seq);
      const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

      beforeAll(async () => {
        room = await createRoom(t.url, ada.accessToken, { name: 'history' });
        const socket = await t.open(ada);
        await t.join(socket, room.id);
        for (let i = 1; i <= TOTAL; i++) {
          const ack = await emitAck(socket, 'message:send', {
            roomId: room.id,
            content: `message ${i}`,
            clientMsgId: `c-${i}`,
          });
          expect(ack).toMatchObject({ ok: true, message: { seq: i } });
        }
      });

      it('returns the messages with their full shape, ascending, and the epoch', async () => {
        const res = await messages(room.id, bob.accessToken).expect(200);
        expect(res.body.epoch).toBe(room.epoch);
        expect(seqs(res)).toEqual(range(1, TOTAL));
        expect(res.body.items[0]).toEqual({
          id: expect.any(String),
          roomId: room.id,
          seq: 1,
          userId: ada.user.id,
          username: 'ada',
          kind: 'user',
          content: 'message 1',
          sentAt: expect.any(String),
          clientMsgId: 'c-1',
        });
        isoMs(res.body.items[0].sentAt);
        expect((await api().get(`/api/v1/rooms/${room.id}`).expect(200)).body.lastSeq).toBe(TOTAL);
      });

      it.each([
        ['limit alone: the latest `limit`', { limit: 5 }, range(8, 12)],
        ['limit larger than history', { limit: 100 }, range(1, 12)],
        ['before: the latest `limit` below it', { before: 6, limit: 3 }, range(3, 5)],
        ['before without limit', { before: 4 }, range(1, 3)],
        ['before=1: nothing', { before: 1 }, []],
        ['before past the end', { before: 100, limit: 2 }, range(11, 12)],
        ['after: the first `limit` above it', { after: 2, limit: 3 }, range(3, 5)],
        ['after without limit', { after: 9 }, range(10, 12)],
        ['after=0: from the start', { after: 0, limit: 4 }, range(1, 4)],
        ['after the last seq: nothing', { after: 12 }, []],
      ])('%s', async (_label, query, expected) => {
        const res = await messages(room.id, bob.accessToken, query).expect(200);
        expect(seqs(res)).toEqual(expected);
      });

      it('walks the whole history backwards with before', async () => {
        const seen: number[] = [];
        let before: number | undefined;
        for (;;) {
          const query: Record<string, number> = before === undefined ? { limit: 5 } : { limit: 5, before };
          const page = seqs(await messages(room.id, bob.accessToken, query).expect(200));
          if (page.length === 0) {
            break;
          }
          seen.unshift(...page);
          before = page[0];
        }
        expect(seen).toEqual(range(1, TOTAL));
      });

      it.each([
        ['limit=0', { limit: 0 }, 'limit'],
        ['limit=101', { limit: 101 }, 'limit'],
        ['limit=abc', { limit: 'abc' }, 'limit'],
        ['before=0', { before: 0 }, 'before'],
        ['before=abc', { before: 'abc' }, 'before'],
        ['after=-1', { after: -1 }, 'after'],
        ['after=1.5', { after: '1.5' }, 'after'],
      ])('refuses %s with 400 VALIDATION_FAILED', async (_label, query, field) => {
        expectInvalid(await messages(room.id, bob.accessToken, query), field);
      });
    });
  });

  describe('errors outside the routes', () => {
    it('answers a malformed JSON body with 400 VALIDATION_FAILED', async () => {
      const res = await api()
        .post('/api/v1/rooms')
        .set(auth(ada.accessToken))
        .set('Content-Type', 'application/json')
        .send('{"name": "broken",');
      expectError(res, 400, 'VALIDATION_FAILED');
      const open = await api()
        .post('/api/v1/auth/guest')
        .set('Content-Type', 'application/json')
        .send('{username: ada}');
      expectError(open, 400, 'VALIDATION_FAILED');
    });

    it('answers an unknown route with 404 and the error body', async () => {
      expectError(await api().get('/api/v1/no-such-route'), 404, 'NOT_FOUND');
      expectError(await api().post('/api/v1/rooms/abc/nothing').send({}), 404, 'NOT_FOUND');
      expectError(await api().get('/not-even-the-prefix'), 404, 'NOT_FOUND');
    });

    it('answers a body over 16 KB with 413 PAYLOAD_TOO_LARGE', async () => {
      const big = { name: 'big', topic: 'x'.repeat(17 * 1024) };
      expectError(await api().post('/api/v1/rooms').set(auth(ada.accessToken)).send(big), 413, 'PAYLOAD_TOO_LARGE');
      expectError(
        await api()
          .post('/api/v1/auth/guest')
          .send({ username: 'ada', padding: 'x'.repeat(17 * 1024) }),
        413,
        'PAYLOAD_TOO_LARGE',
      );
    });

    it('accepts a body just under the limit (and validates it)', async () => {
      const res = await api()
        .post('/api/v1/rooms')
        .set(auth(ada.accessToken))
        .send({ name: 'big', topic: 'x'.repeat(15 * 1024) });
      expectInvalid(res, 'topic');
    });
  });
});

describe('room listing page size', () => {
  const t = useChatApp();

  it('answers 50 rooms per page by default, then the rest', async () => {
    const owner = await guest(t.url, 'lister');
    for (let i = 0; i < 53; i++) {
      await createRoom(t.url, owner.accessToken, { name: `room ${i}` });
    }
    const first = await request(t.url).get('/api/v1/rooms').expect(200);
    expect(first.body.items).toHaveLength(50);
    expect(typeof first.body.nextCursor).toBe('string');
    const second = await request(t.url).get('/api/v1/rooms').query({ cursor: first.body.nextCursor }).expect(200);
    expect(second.body).toEqual({ items: expect.any(Array), nextCursor: null });
    expect(second.body.items).toHaveLength(3);
  });
});

describe('rooms that expire', () => {
  const t = useChatApp({ ROOM_MIN_TTL_SECONDS: '1' });

  it('answers 404 ROOM_NOT_FOUND once the TTL has run out', async () => {
    const owner = await guest(t.url, 'owner');
    const room = await createRoom(t.url, owner.accessToken, { name: 'ephemeral', ttlSeconds: 1 });
    const socket = await t.open(owner);
    const closed = nextEvent(socket, 'room:closed');
    await t.join(socket, room.id);
    expect(await closed).toEqual({ roomId: room.id, reason: 'expired' });
    socket.close();
    expectError(await request(t.url).get(`/api/v1/rooms/${room.id}`), 404, 'ROOM_NOT_FOUND');
    const list = await request(t.url).get('/api/v1/rooms').expect(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).not.toContain(room.id);
    expectError(
      await request(t.url).get(`/api/v1/rooms/${room.id}/messages`).set('Authorization', `Bearer ${owner.accessToken}`),
      404,
      'ROOM_NOT_FOUND',
    );
  });
});
