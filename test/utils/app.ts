import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { AppModule } from '../../src/app.module.js';
import { configureApp, listen } from '../../src/app.setup.js';

export interface TestApp {
  app: NestExpressApplication;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

/** Test defaults: a cheap scrypt cost keeps password tests quick, limits out of the way; the rest as in production. */
export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'error',
  JWT_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'admin-password-for-tests',
  SCRYPT_COST: '1024',
  // The abuse limits are tested by their own tests; the others use many clients from one address.
  HTTP_RATE_LIMIT: '1000000',
  AUTH_RATE_LIMIT: '1000000',
  SOCKET_EVENT_BURST: '100000',
  SOCKET_EVENTS_PER_SECOND: '100000',
  MESSAGE_RATE_LIMIT: '100000',
  HANDSHAKE_RATE_LIMIT: '1000000',
  MAX_CONNECTIONS_PER_USER: '1000000',
  MAX_CONNECTIONS_PER_IP: '1000000',
  // Tests share their process's event loop with the server; the shedding has its own test.
  OVERLOAD_LAG_MS: '0',
};

/** Boots the real app (same setup as main.ts) on a free loopback port. */
export async function startApp(env: Record<string, string> = {}): Promise<TestApp> {
  const app = await NestFactory.create<NestExpressApplication>(
    await AppModule.forRoot({ overrides: { ...TEST_ENV, ...env }, envFile: false }),
    { bodyParser: false, logger: ['error', 'warn'] },
  );
  configureApp(app);
  await listen(app, 0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
