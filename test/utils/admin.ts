import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { TokenService } from '../../src/auth/token.service.js';
import { TEST_ENV, type TestApp } from './app.js';
import { connect, type AuthBody } from './clients.js';

/** The admin credentials every test app is started with. */
export const ADMIN = { username: TEST_ENV.ADMIN_USERNAME, password: TEST_ENV.ADMIN_PASSWORD };

/** Logs in as admin and returns the admin token. */
export async function adminToken(url: string): Promise<string> {
  const res = await request(url).post('/api/v1/admin/login').send(ADMIN).expect(200);
  return res.body.accessToken as string;
}

/** The body of GET /api/v1/admin/overview. */
export interface Overview {
  instances: number;
  connections: number;
  users: number;
  rooms: number;
  messagesLastMinute: number;
}

/** GET /api/v1/admin/overview, with the token when given. */
export function overviewRequest(url: string, token?: string): request.Test {
  const req = request(url).get('/api/v1/admin/overview');
  return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
}

export async function overview(url: string, token: string): Promise<Overview> {
  const res = await overviewRequest(url, token).expect(200);
  return res.body as Overview;
}

/**
 * Heartbeat-driven figures have no event to await: re-reads the overview (bounded, at most 5 s)
 * until `done` holds, and returns the last read.
 */
export async function pollOverview(url: string, token: string, done: (o: Overview) => boolean): Promise<Overview> {
  const deadline = Date.now() + 5000;
  let current = await overview(url, token);
  while (!done(current) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = await overview(url, token);
  }
  return current;
}

/** Admin requests with a token (or none): `api.get('/clients')` is GET /api/v1/admin/clients. */
export function adminApi(url: string, token?: string) {
  const auth = (req: request.Test): request.Test =>
    token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  return {
    get: (path: string): request.Test => auth(request(url).get(`/api/v1/admin${path}`)),
    post: (path: string, body: object): request.Test => auth(request(url).post(`/api/v1/admin${path}`)).send(body),
    delete: (path: string): request.Test => auth(request(url).delete(`/api/v1/admin${path}`)),
  };
}

/** Expects the error body of API.md §3: `{ statusCode, code, message }` with this status and code. */
export function expectError(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ statusCode: status, code });
  expect(typeof res.body.message).toBe('string');
}

/** Resolves with the reason of the socket's next `disconnect`; rejects after `timeoutMs`. */
export function disconnected(socket: Socket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('disconnect', handler);
      reject(new Error(`no disconnect within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (reason: string): void => {
      clearTimeout(timer);
      resolve(reason);
    };
    socket.once('disconnect', handler);
  });
}

/** A refused handshake as the client sees it. */
export type Refusal = Error & { data?: { code: string; message: string; until?: string | null } };

/** Opens /chat expecting a refusal and resolves with the `connect_error`; fails if it connects. */
export async function refusal(url: string, token: string): Promise<Refusal> {
  try {
    const socket = await connect(url, token);
    socket.close();
  } catch (error) {
    return error as Refusal;
  }
  throw new Error('the handshake was accepted');
}

/**
 * Re-reads until `done` holds (bounded by `timeoutMs`) and returns the last read. Only for what has
 * no event to await: heartbeat-driven figures, a registry that catches up, a timed ban that ends.
 */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let current = await read();
  while (!done(current) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = await read();
  }
  return current;
}

/** The admin request helpers of `adminApi`. */
export type AdminApi = ReturnType<typeof adminApi>;

/** A listing of API.md §7. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A ban as the admin API answers it (API.md §7). */
export interface Ban {
  id: string;
  userId?: string;
  ip?: string;
  reason: string;
  createdAt: string;
  until: string | null;
  createdBy: string;
}

/** POST /admin/bans, expecting 201; returns the ban. */
export async function createBan(api: AdminApi, body: object): Promise<Ban> {
  return (await api.post('/bans', body).expect(201)).body as Ban;
}

/**
 * Reads a whole listing `limit` at a time, following nextCursor; checks that every page but the
 * last is full. Returns the items in order and the size of each page.
 */
export async function walkPages<T>(
  api: AdminApi,
  path: string,
  limit: number,
  query: Record<string, string> = {},
): Promise<{ items: T[]; sizes: number[] }> {
  const items: T[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  do {
    const page = (
      await api
        .get(path)
        .query(cursor === null ? { ...query, limit } : { ...query, limit, cursor })
        .expect(200)
    ).body as Page<T>;
    expect(page.items.length === limit || page.nextCursor === null).toBe(true);
    items.push(...page.items);
    sizes.push(page.items.length);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { items, sizes };
}

/** Expects the /chat handshake refused as API.md §4 says for a ban: BANNED with its `until`. */
export async function expectBannedHandshake(url: string, token: string, until: string | null): Promise<void> {
  const refused = await refusal(url, token);
  expect(refused.message).toBe('BANNED');
  expect(refused.data).toEqual({ code: 'BANNED', message: expect.any(String), until });
}

/** An admin token of the running app that expires after `seconds` (the configured minimum is 60). */
export function shortLivedAdminToken(app: TestApp, seconds: number): string {
  return app.app.get(TokenService).signAdmin({ username: ADMIN.username }, seconds).accessToken;
}

/** A connection as GET /api/v1/admin/clients lists it. */
export interface AdminClient {
  socketId: string;
  user: AuthBody['user'];
  ip: string;
  instanceId: string;
  rooms: string[];
  connectedAt: string;
}
