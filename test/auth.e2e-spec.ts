import jwt from 'jsonwebtoken';
import { io } from 'socket.io-client';
import request from 'supertest';
import { TEST_ENV } from './utils/app.js';
import { guest } from './utils/clients.js';
import { useChatApp } from './utils/harness.js';

const SECRET = TEST_ENV.JWT_SECRET;
const ERROR_KEYS = ['statusCode', 'code', 'message', 'details'];

/** Asserts the contract's error body: exactly `{ statusCode, code, message, details? }`. */
function expectError(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  expect(res.body).toMatchObject({ statusCode: status, code });
  expect(typeof res.body.message).toBe('string');
  expect(Object.keys(res.body).every((key) => ERROR_KEYS.includes(key))).toBe(true);
}

/** The fields that failed validation, as an integrator reads them from `details`. */
function failedFields(res: request.Response): string[] {
  expect(Array.isArray(res.body.details)).toBe(true);
  return (res.body.details as { field: string }[]).map((d) => d.field);
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A token an integrator's backend would mint: HS256, shared secret, `aud: "chat"`. */
function userToken(claims: Record<string, unknown> = {}, options: jwt.SignOptions = {}, secret = SECRET): string {
  return jwt.sign(
    { sub: 'ext-42', name: 'Integrator User', kind: 'external', aud: 'chat', exp: nowSeconds() + 300, ...claims },
    secret,
    { algorithm: 'HS256', ...options },
  );
}

/** Changes the payload of a valid token without re-signing it. */
function tamper(token: string): string {
  const [header, , signature] = token.split('.');
  const payload = jwt.decode(token) as jwt.JwtPayload;
  return `${header}.${base64url({ ...payload, kind: 'member', sub: 'someone-else' })}.${signature}`;
}

describe('auth (REST)', () => {
  const t = useChatApp();
  const post = (path: string, body: unknown) =>
    request(t.url)
      .post(`/api/v1/auth/${path}`)
      .send(body as object);
  const me = (token?: string) => {
    const req = request(t.url).get('/api/v1/auth/me');
    return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  };

  describe('POST /auth/guest', () => {
    it('answers 201 with a bearer token for a guest user', async () => {
      const res = await post('guest', { username: 'ada' }).expect(201);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: expect.any(Number),
        user: { id: expect.any(String), username: 'ada', kind: 'guest' },
      });
      expect(res.body.expiresIn).toBeGreaterThan(0);
    });

    it('issues an HS256 JWT with the claims of API.md §2 and the advertised lifetime', async () => {
      const body = (await post('guest', { username: 'claims' }).expect(201)).body;
      const decoded = jwt.decode(body.accessToken, { complete: true }) as jwt.Jwt;
      expect(decoded.header.alg).toBe('HS256');
      const claims = decoded.payload as jwt.JwtPayload;
      expect(claims).toMatchObject({ sub: body.user.id, name: 'claims', kind: 'guest', aud: 'chat' });
      expect(claims.exp! - claims.iat!).toBe(body.expiresIn);
      expect(Math.abs(claims.iat! - nowSeconds())).toBeLessThanOrEqual(5);
      // Signed with the shared secret, so an integrator can verify it too.
      expect(() => jwt.verify(body.accessToken, SECRET, { algorithms: ['HS256'], audience: 'chat' })).not.toThrow();
    });

    it('trims the username', async () => {
      const res = await post('guest', { username: '  grace hopper \t' }).expect(201);
      expect(res.body.user.username).toBe('grace hopper');
    });

    it.each([
      ['Unicode letters and a space', 'Zoë 李'],
      ['digits and _ . -', 'a_b.c-9'],
      ['one character', 'x'],
      ['32 characters', 'a'.repeat(32)],
      ['32 non-Latin characters', '李'.repeat(32)],
    ])('accepts %s', async (_label, username) => {
      const res = await post('guest', { username }).expect(201);
      expect(res.body.user.username).toBe(username);
    });

    it('gives two guests with the same name different ids', async () => {
      const a = await guest(t.url, 'twin');
      const b = await guest(t.url, 'twin');
      expect(a.user.id).not.toBe(b.user.id);
    });

    it.each([
      ['forbidden characters', { username: 'ada!' }],
      ['markup', { username: '<script>' }],
      ['a newline inside', { username: 'a\nb' }],
      ['an emoji', { username: 'ada 🎉' }],
      ['an empty name', { username: '' }],
      ['only spaces', { username: '   ' }],
      ['33 characters', { username: 'a'.repeat(33) }],
      ['a number', { username: 42 }],
      ['null', { username: null }],
      ['an array', { username: ['ada'] }],
      ['an object', { username: { first: 'ada' } }],
      ['no username', {}],
    ])('refuses %s with 400 VALIDATION_FAILED naming the field', async (_label, body) => {
      const res = await post('guest', body);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(failedFields(res)).toContain('username');
    });
  });

  describe('POST /auth/register and /auth/login', () => {
    it('registers a member (201) whose token works on /auth/me', async () => {
      const res = await post('register', { username: 'linus', password: 'correct horse' }).expect(201);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: expect.any(Number),
        user: { id: expect.any(String), username: 'linus', kind: 'member' },
      });
      const who = await me(res.body.accessToken).expect(200);
      expect(who.body).toEqual(res.body.user);
    });

    it('trims the username of an account', async () => {
      const res = await post('register', { username: '  trimmed member ', password: 'password1' }).expect(201);
      expect(res.body.user.username).toBe('trimmed member');
      await post('login', { username: 'trimmed member', password: 'password1' }).expect(200);
    });

    it('refuses a taken username with 409 USERNAME_TAKEN, case-insensitively', async () => {
      await post('register', { username: 'Margaret', password: 'password1' }).expect(201);
      expectError(await post('register', { username: 'Margaret', password: 'password2' }), 409, 'USERNAME_TAKEN');
      expectError(await post('register', { username: 'margaret', password: 'password2' }), 409, 'USERNAME_TAKEN');
      expectError(await post('register', { username: 'MARGARET', password: 'password2' }), 409, 'USERNAME_TAKEN');
      expectError(await post('register', { username: ' margaret ', password: 'password2' }), 409, 'USERNAME_TAKEN');
    });

    it('accepts passwords of 8 and 128 characters', async () => {
      await post('register', { username: 'pw-min', password: 'p'.repeat(8) }).expect(201);
      await post('register', { username: 'pw-max', password: 'p'.repeat(128) }).expect(201);
      await post('login', { username: 'pw-max', password: 'p'.repeat(128) }).expect(200);
    });

    it.each([
      ['a 7-character password', { username: 'short-pw', password: 'p'.repeat(7) }, 'password'],
      ['a 129-character password', { username: 'long-pw', password: 'p'.repeat(129) }, 'password'],
      ['a numeric password', { username: 'num-pw', password: 12345678 }, 'password'],
      ['no password', { username: 'no-pw' }, 'password'],
      ['a bad username', { username: 'bad/name', password: 'password1' }, 'username'],
      ['a 33-character username', { username: 'm'.repeat(33), password: 'password1' }, 'username'],
      ['no username', { password: 'password1' }, 'username'],
    ])('refuses to register with %s (400 VALIDATION_FAILED)', async (_label, body, field) => {
      const res = await post('register', body);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(failedFields(res)).toContain(field);
    });

    it('does not create the account when registration is refused', async () => {
      expectError(await post('register', { username: 'refused', password: 'short' }), 400, 'VALIDATION_FAILED');
      await post('register', { username: 'refused', password: 'long enough' }).expect(201);
    });

    it('logs a member in with 200 and the same user', async () => {
      const reg = await post('register', { username: 'Barbara', password: 's3cret-pass' }).expect(201);
      const res = await post('login', { username: 'Barbara', password: 's3cret-pass' }).expect(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: expect.any(Number),
        user: reg.body.user,
      });
      expect((await me(res.body.accessToken).expect(200)).body).toEqual(reg.body.user);
    });

    it('answers a wrong password and an unknown user alike: 401 INVALID_CREDENTIALS, same message', async () => {
      await post('register', { username: 'Edsger', password: 'goto-harmful' }).expect(201);
      const wrong = await post('login', { username: 'Edsger', password: 'goto-helpful' });
      const unknown = await post('login', { username: 'nobody-here', password: 'goto-harmful' });
      expectError(wrong, 401, 'INVALID_CREDENTIALS');
      expectError(unknown, 401, 'INVALID_CREDENTIALS');
      expect(unknown.body.message).toBe(wrong.body.message);
      expect(wrong.body.message).not.toMatch(/Edsger/);
    });

    it('gives a guest no way into an account', async () => {
      await guest(t.url, 'guest-only');
      expectError(await post('login', { username: 'guest-only', password: 'whatever1' }), 401, 'INVALID_CREDENTIALS');
    });

    it('refuses a login without username or password (400 VALIDATION_FAILED)', async () => {
      expectError(await post('login', { username: 'Edsger' }), 400, 'VALIDATION_FAILED');
      expectError(await post('login', { password: 'goto-harmful' }), 400, 'VALIDATION_FAILED');
      expectError(await post('login', { username: 7, password: 'goto-harmful' }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /auth/me', () => {
    it('answers 200 with the user of a guest token', async () => {
      const g = await guest(t.url, 'Zoë 李');
      const res = await me(g.accessToken).expect(200);
      expect(res.body).toEqual({ id: g.user.id, username: 'Zoë 李', kind: 'guest' });
    });

    it('accepts the Bearer scheme case-insensitively', async () => {
      const g = await guest(t.url, 'scheme');
      await request(t.url).get('/api/v1/auth/me').set('Authorization', `bearer ${g.accessToken}`).expect(200);
    });

    it('accepts an external token minted by the integrator with the shared secret', async () => {
      const token = userToken({ sub: 'crm-1234', name: 'Ada from CRM' });
      const res = await me(token).expect(200);
      expect(res.body).toEqual({ id: 'crm-1234', username: 'Ada from CRM', kind: 'external' });
    });

    const hostile: [string, () => string | undefined][] = [
      ['no token', () => undefined],
      ['an empty bearer', () => ''],
      ['garbage', () => 'not-a-jwt'],
      ['three garbage segments', () => 'abc.def.ghi'],
      ['an expired token', () => userToken({ iat: nowSeconds() - 600, exp: nowSeconds() - 60 })],
      ['a token signed with another secret', () => userToken({}, {}, 'another-secret-that-is-also-32-bytes-long')],
      [
        'an alg:none token',
        () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(jwt.decode(userToken()) as object)}.`,
      ],
      ['an HS512 token with the right secret', () => userToken({}, { algorithm: 'HS512' })],
      ['an HS384 token with the right secret', () => userToken({}, { algorithm: 'HS384' })],
      [
        'a token without exp',
        () => jwt.sign({ sub: 'u1', name: 'no exp', kind: 'guest', aud: 'chat' }, SECRET, { algorithm: 'HS256' }),
      ],
      ['an admin token (aud "chat-admin")', () => userToken({ aud: 'chat-admin', kind: 'guest' })],
      [
        'a token without aud',
        () => jwt.sign({ sub: 'u1', name: 'no aud', kind: 'guest', exp: nowSeconds() + 300 }, SECRET),
      ],
      ['a token with an unknown kind', () => userToken({ kind: 'admin' })],
      ['a token without sub', () => userToken({ sub: undefined })],
      ['a token with an invalid name', () => userToken({ name: '<script>' })],
      ['a tampered payload', () => tamper(userToken({ kind: 'guest' }))],
    ];

    it.each(hostile)('answers 401 UNAUTHORIZED to %s', async (_label, make) => {
      const res = await me(make());
      expectError(res, 401, 'UNAUTHORIZED');
    });

    it('answers 401 UNAUTHORIZED to a Basic authorization header', async () => {
      const res = await request(t.url).get('/api/v1/auth/me').set('Authorization', 'Basic YWRhOnNlY3JldA==');
      expectError(res, 401, 'UNAUTHORIZED');
    });

    it('never echoes the token or the secret in the error', async () => {
      const token = userToken({ exp: nowSeconds() - 60 });
      const res = await me(token);
      expectError(res, 401, 'UNAUTHORIZED');
      expect(JSON.stringify(res.body)).not.toContain(token);
      expect(JSON.stringify(res.body)).not.toContain(SECRET);
    });
  });

  describe('the socket handshake', () => {
    it('accepts an external token in the auth payload and announces the session user', async () => {
      const token = userToken({ sub: 'crm-77', name: 'Grace' });
      const socket = io(`${t.url}/chat`, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      try {
        const session = await new Promise<{ user: unknown }>((resolve, reject) => {
          socket.once('session', resolve);
          socket.once('connect_error', reject);
        });
        expect(session.user).toEqual({ id: 'crm-77', username: 'Grace', kind: 'external' });
      } finally {
        socket.close();
      }
    });
  });
});
