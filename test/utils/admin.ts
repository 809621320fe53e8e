import request from 'supertest';
import { TEST_ENV } from './app.js';

/** The admin credentials every test app is started with. */
export const ADMIN = { username: TEST_ENV.ADMIN_USERNAME, password: TEST_ENV.ADMIN_PASSWORD };

/** Logs in as admin and returns the admin token. */
export async function adminToken(url: string): Promise<string> {
  const res = await request(url).post('/api/v1/admin/login').send(ADMIN).expect(200);
  return res.body.accessToken as string;
}
