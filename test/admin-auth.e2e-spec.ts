import jwt from 'jsonwebtoken';
import { hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { TEST_ENV } from './utils/app.js';
import { guest } from './utils/clients.js';
import { useChatApp } from './utils/harness.js';

const ADMIN = { username: TEST_ENV.ADMIN_USERNAME, password: TEST_ENV.ADMIN_PASSWORD };
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The admin signing key as API.md §2 / the token service derive it: HKDF(JWT_SECRET, ADMIN_PASSWORD). */
function adminKey(jwtSecret = TEST_ENV.JWT_SECRET, adminPassword = TEST_ENV.ADMIN_PASSWORD): string {
  return Buffer.from(hkdfSync('sha256', jwtSecret, adminPassword, 'parley admin tokens', 32)).toString('base64url');
}

function adminLikeToken(secret: string, claims: Record<string, unknown> = {}): string {
  return jwt.sign(
    { sub: 'admin:admin', name: 'admin', aud: 'chat-admin', iat: nowSeconds(), exp: nowSeconds() + 300, ...claims },
    secret,
    { algorithm: 'HS256' },
  );
}

function expectError(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ statusCode: status, code });
  expect(typeof res.body.message).toBe('string');
}

const login = (url: string, body: object, ip?: string) => {
  const req = request(url).post('/api/v1/admin/login');
  return (ip === undefined ? req : req.set('X-Forwarded-For', ip)).send(body);
};

const adminToken = async (url: string, ip?: string): Promise<string> => {
  const res = await login(url, ADMIN, ip);
  expect(res.status).toBe(200);
  return res.body.accessToken as string;
};

const instances = (url: string, token?: string) => {
  const req = request(url).get('/api/v1/admin/instances');
  return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
};

/** A 429 as the admin console sees it: RATE_LIMITED, retryAfterMs > 0, Retry-After in whole seconds. */
function expectLocked(res: request.Response): void {
  expectError(res, 429, 'RATE_LIMITED');
  expect(res.body.details.retryAfterMs).toBeGreaterThan(0);
  const retryAfter = res.headers['retry-after'];
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
}

describe('admin login, tokens and instances (single instance)', () => {
  const t = useChatApp({ HEARTBEAT_INTERVAL_MS: '200' });

  describe('POST /admin/login', () => {
    it('answers 200 with a bearer admin token valid for 900 s', async () => {
      const res = await login(t.url, ADMIN).expect(200);
      expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
      const claims = jwt.decode(res.body.accessToken) as jwt.JwtPayload;
      expect(claims.aud).toBe('chat-admin');
      expect(typeof claims.iat).toBe('number');
      expect(claims.exp).toBe((claims.iat as number) + 900);
      expect(Math.abs((claims.iat as number) - nowSeconds())).toBeLessThanOrEqual(5);
    });

    it('refuses a wrong password and a wrong username alike: 401 INVALID_CREDENTIALS, same message', async () => {
      const wrongPassword = await login(t.url, { ...ADMIN, password: 'not-the-admin-password' });
      const wrongUsername = await login(t.url, { ...ADMIN, username: 'root' });
      expectError(wrongPassword, 401, 'INVALID_CREDENTIALS');
      expectError(wrongUsername, 401, 'INVALID_CREDENTIALS');
      expect(wrongUsername.body.message).toBe(wrongPassword.body.message);
      expect(wrongPassword.body).not.toHaveProperty('accessToken');
    });

    it.each([
      ['an empty body', {}],
      ['a missing password', { username: 'admin' }],
      ['a non-string username', { username: 42, password: 'x' }],
      ['an empty password', { username: 'admin', password: '' }],
    ])('answers 400 VALIDATION_FAILED for %s', async (_label, body) => {
      expectError(await login(t.url, body), 400, 'VALIDATION_FAILED');
    });
  });

  describe('token separation', () => {
    it('GET /admin/instances without a token: 401', async () => {
      expectError(await instances(t.url), 401, 'UNAUTHORIZED');
    });

    it('GET /admin/instances with a user token: 401 UNAUTHORIZED', async () => {
      const user = await guest(t.url, 'not-an-admin');
      expectError(await instances(t.url, user.accessToken), 401, 'UNAUTHORIZED');
    });

    it('GET /admin/instances with an admin token: 200', async () => {
      await instances(t.url, await adminToken(t.url)).expect(200);
    });

    it('an admin token is refused on a user route (GET /auth/me): 401', async () => {
      const res = await request(t.url)
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${await adminToken(t.url)}`);
      expectError(res, 401, 'UNAUTHORIZED');
    });

    it('an admin token is refused in the /chat handshake: connect_error UNAUTHORIZED', async () => {
      await expect(t.open(await adminToken(t.url))).rejects.toMatchObject({ message: 'UNAUTHORIZED' });
    });

    it('an integrator holding only JWT_SECRET cannot mint an admin token', async () => {
      const forged = adminLikeToken(TEST_ENV.JWT_SECRET);
      expectError(await instances(t.url, forged), 401, 'UNAUTHORIZED');
    });

    it('an expired admin token is refused: 401', async () => {
      // Control: the key derivation is right, so a fresh token with it is accepted…
      await instances(t.url, adminLikeToken(adminKey())).expect(200);
      // …and the same token, expired, is not.
      const expired = adminLikeToken(adminKey(), { iat: nowSeconds() - 1000, exp: nowSeconds() - 10 });
      expectError(await instances(t.url, expired), 401, 'UNAUTHORIZED');
    });
  });

  describe('GET /admin/instances', () => {
    type Instance = Record<string, any>;
    const list = async (token: string): Promise<Instance[]> => {
      const res = await instances(t.url, token).expect(200);
      expect(res.body.nextCursor).toBeNull();
      return res.body.items as Instance[];
    };

    it('lists this one instance with its identity and figures', async () => {
      const items = await list(await adminToken(t.url));
      expect(items).toHaveLength(1);
      const [me] = items;
      expect(me).toEqual({
        id: expect.any(String),
        host: expect.any(String),
        pid: expect.any(Number),
        version: VERSION,
        startedAt: expect.stringMatching(ISO),
        lastHeartbeat: expect.stringMatching(ISO),
        connections: expect.any(Number),
        memory: { rss: expect.any(Number), heapUsed: expect.any(Number) },
        eventLoopLagMs: expect.any(Number),
        users: expect.any(Number),
        messagesLastMinute: expect.any(Number),
        overloadRefusalsLastMinute: 0,
      });
      expect(me.id.length).toBeGreaterThan(0);
      expect(me.host.length).toBeGreaterThan(0);
      expect(Number.isInteger(me.pid)).toBe(true);
      expect(Date.parse(me.lastHeartbeat)).toBeGreaterThanOrEqual(Date.parse(me.startedAt));
      expect(me.memory.rss).toBeGreaterThan(0);
      expect(me.memory.heapUsed).toBeGreaterThan(0);
      expect(me.eventLoopLagMs).toBeGreaterThanOrEqual(0);
    });

    it('counts a new /chat connection after the next heartbeat', async () => {
      const token = await adminToken(t.url);
      const [before] = await list(token);
      const user = await guest(t.url, 'counted');
      await t.open(user);
      // The figure comes from the heartbeat (every 200 ms here): poll, bounded.
      let current = before;
      const deadline = Date.now() + 5000;
      while (current.connections !== before.connections + 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        [current] = await list(token);
      }
      expect(current.connections).toBe(before.connections + 1);
      expect(current.id).toBe(before.id);
      expect(Date.parse(current.lastHeartbeat)).toBeGreaterThan(Date.parse(before.lastHeartbeat));
    });
  });
});

describe('admin login throttling: per username', () => {
  const t = useChatApp({ ADMIN_LOGIN_MAX_FAILURES: '3', TRUST_PROXY: 'true' });

  it('failures for "admin" from different IPs lock "admin", even with the right password from a new IP', async () => {
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      expectError(await login(t.url, { ...ADMIN, password: 'wrong-password' }, ip), 401, 'INVALID_CREDENTIALS');
    }
    expectLocked(await login(t.url, ADMIN, '198.51.100.4'));
  });
});

describe('admin login throttling: per IP and reset on success', () => {
  const t = useChatApp({ ADMIN_LOGIN_MAX_FAILURES: '3', TRUST_PROXY: 'true' });

  it('failures from one IP with varying usernames lock that IP; another IP still logs in', async () => {
    const ip = '203.0.113.7';
    for (const username of ['alice', 'bob', 'carol']) {
      expectError(await login(t.url, { username, password: 'wrong-password' }, ip), 401, 'INVALID_CREDENTIALS');
    }
    expectLocked(await login(t.url, ADMIN, ip));
    await adminToken(t.url, '203.0.113.8');
  });

  it('a successful login clears the username counter', async () => {
    const fail = async (ip: string): Promise<void> => {
      const res = await login(t.url, { ...ADMIN, password: 'wrong-password' }, ip);
      expectError(res, 401, 'INVALID_CREDENTIALS');
    };
    // One IP per attempt: only the username counter is at play.
    await fail('192.0.2.1');
    await fail('192.0.2.2');
    await adminToken(t.url, '192.0.2.3');
    await fail('192.0.2.4');
    await fail('192.0.2.5');
    // Two failures since the success: still under the limit of three.
    await adminToken(t.url, '192.0.2.6');
  });
});
