import request from 'supertest';
import { TEST_ENV } from './app.js';

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
