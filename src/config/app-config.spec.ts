import { buildAppConfig } from './app-config.js';

const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'production-secret-of-at-least-32-bytes!',
  ADMIN_USERNAME: 'root',
  ADMIN_PASSWORD: 'a-long-admin-password',
};

/** The message of the error `build` throws; fails the test when it does not throw. */
function failure(raw: Record<string, unknown>): string {
  try {
    buildAppConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return (error as Error).message;
  }
  throw new Error(`expected the configuration ${JSON.stringify(Object.keys(raw))} to be refused`);
}

/** The lines of a configuration error after its heading, each naming one variable first. */
function problemLines(message: string): string[] {
  const [heading, ...lines] = message.split('\n');
  expect(heading).toMatch(/^Invalid configuration/);
  return lines;
}

/** The variables an error message complains about, one per line. */
function badVariables(message: string): string[] {
  return problemLines(message).map((line) => /^([A-Z_]+):/.exec(line)?.[1] ?? `<unnamed: ${line}>`);
}

describe('buildAppConfig', () => {
  describe('defaults', () => {
    it('applies the documented defaults to an empty environment', () => {
      const config = buildAppConfig({});
      expect(config.env).toBe('development');
      expect(config.http).toMatchObject({
        port: 3000,
        host: '0.0.0.0',
        corsOrigins: '*',
        maxPayloadBytes: 16 * 1024,
        trustProxy: false,
        swaggerEnabled: true,
      });
      expect(config.engine.kind).toBe('memory');
      expect(config.admin).toEqual({ liveIntervalMs: 2000, moderationLogSize: 10_000 });
      expect(config.limits.overloadLagMs).toBe(1000);
      expect(buildAppConfig({ OVERLOAD_LAG_MS: '0' }).limits.overloadLagMs).toBe(0);
      expect(config.rooms).toEqual({
        defaultTtlSeconds: 600,
        minTtlSeconds: 60,
        maxTtlSeconds: 7 * 24 * 3600,
        defaultMaxUsers: 20,
        maxUsersLimit: 1000,
        historySize: 1000,
        messageMaxLength: 2000,
      });
    });

    it('reads the main variables from strings', () => {
      const config = buildAppConfig({
        PORT: '8080',
        HOST: '127.0.0.1',
        CORS_ORIGINS: 'https://a.example, https://b.example',
        ROOM_DEFAULT_TTL_SECONDS: '900',
        ROOM_MIN_TTL_SECONDS: '120',
        ROOM_DEFAULT_MAX_USERS: '50',
        HISTORY_SIZE: '5000',
        MESSAGE_MAX_LENGTH: '500',
        TRUST_PROXY: '2',
      });
      expect(config.http).toMatchObject({
        port: 8080,
        host: '127.0.0.1',
        corsOrigins: ['https://a.example', 'https://b.example'],
        trustProxy: 2,
      });
      expect(config.rooms).toMatchObject({
        defaultTtlSeconds: 900,
        minTtlSeconds: 120,
        defaultMaxUsers: 50,
        historySize: 5000,
        messageMaxLength: 500,
      });
    });

    it('ignores variables it does not know', () => {
      expect(() => buildAppConfig({ PATH: '/usr/bin', SOMETHING_ELSE: 'x' })).not.toThrow();
    });
  });

  describe('development', () => {
    it('generates a JWT secret of at least 32 bytes and an admin password', () => {
      const config = buildAppConfig({ NODE_ENV: 'development' });
      expect(config.auth.jwtSecretGenerated).toBe(true);
      expect(Buffer.byteLength(config.auth.jwtSecret)).toBeGreaterThanOrEqual(32);
      expect(config.auth.adminPasswordGenerated).toBe(true);
      expect(config.auth.adminPassword.length).toBeGreaterThanOrEqual(12);
      expect(config.auth.adminUsername).toBe('admin');
    });

    it('generates fresh secrets on each boot', () => {
      const a = buildAppConfig({});
      const b = buildAppConfig({});
      expect(a.auth.jwtSecret).not.toBe(b.auth.jwtSecret);
      expect(a.auth.adminPassword).not.toBe(b.auth.adminPassword);
    });

    it('uses the secrets it is given', () => {
      const config = buildAppConfig({ ...PRODUCTION, NODE_ENV: 'development' });
      expect(config.auth).toMatchObject({
        jwtSecret: PRODUCTION.JWT_SECRET,
        jwtSecretGenerated: false,
        adminUsername: 'root',
        adminPassword: PRODUCTION.ADMIN_PASSWORD,
        adminPasswordGenerated: false,
      });
    });
  });

  describe('production', () => {
    it('starts with a JWT secret and admin credentials', () => {
      const config = buildAppConfig(PRODUCTION);
      expect(config.env).toBe('production');
      expect(config.auth).toMatchObject({
        jwtSecret: PRODUCTION.JWT_SECRET,
        jwtSecretGenerated: false,
        adminUsername: 'root',
        adminPasswordGenerated: false,
      });
    });

    it('refuses to start without JWT_SECRET, ADMIN_USERNAME and ADMIN_PASSWORD, one line each', () => {
      expect(badVariables(failure({ NODE_ENV: 'production' })).sort()).toEqual([
        'ADMIN_PASSWORD',
        'ADMIN_USERNAME',
        'JWT_SECRET',
      ]);
    });

    it.each(['JWT_SECRET', 'ADMIN_USERNAME', 'ADMIN_PASSWORD'])('refuses to start without %s alone', (name) => {
      const raw: Record<string, string> = { ...PRODUCTION };
      delete raw[name];
      expect(badVariables(failure(raw))).toEqual([name]);
    });

    it('treats an empty JWT_SECRET as missing', () => {
      expect(badVariables(failure({ ...PRODUCTION, JWT_SECRET: '' }))).toEqual(['JWT_SECRET']);
    });
  });

  describe('a JWT_SECRET shorter than 32 bytes', () => {
    it.each(['production', 'development', 'test'])('is refused in %s', (NODE_ENV) => {
      const message = failure({ ...PRODUCTION, NODE_ENV, JWT_SECRET: 'too-short-secret' });
      expect(badVariables(message)).toEqual(['JWT_SECRET']);
    });

    it('is accepted from exactly 32 bytes', () => {
      expect(buildAppConfig({ ...PRODUCTION, JWT_SECRET: 's'.repeat(32) }).auth.jwtSecret).toBe('s'.repeat(32));
    });

    it('is measured in bytes, not characters', () => {
      // 16 two-byte characters are 32 bytes; 31 one-byte characters are not.
      expect(buildAppConfig({ ...PRODUCTION, JWT_SECRET: 'é'.repeat(16) }).auth.jwtSecret).toBe('é'.repeat(16));
      expect(badVariables(failure({ ...PRODUCTION, JWT_SECRET: 's'.repeat(31) }))).toEqual(['JWT_SECRET']);
    });
  });

  describe('bad values', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '-1'],
      ['PORT', '80.5'],
      ['CHAT_ENGINE', 'mongo'],
      ['HISTORY_SIZE', '0'],
      ['HISTORY_SIZE', 'lots'],
      ['NODE_ENV', 'staging'],
      ['MESSAGE_MAX_LENGTH', '0'],
      ['ROOM_DEFAULT_MAX_USERS', '1'],
      ['SCRYPT_COST', '1000'],
      ['SWAGGER_ENABLED', 'maybe'],
      ['TRUST_PROXY', 'sometimes'],
      ['ADMIN_LIVE_INTERVAL_MS', '10'],
      ['MODERATION_LOG_SIZE', 'all'],
      ['OVERLOAD_LAG_MS', '-1'],
      ['OVERLOAD_LAG_MS', '60001'],
      ['OVERLOAD_LAG_MS', '50'],
    ])('refuses %s=%s with a line naming it', (name, value) => {
      const message = failure({ [name]: value });
      expect(badVariables(message)).toEqual([name]);
    });

    it('shows the bad value of an ordinary variable', () => {
      expect(problemLines(failure({ PORT: '70000' }))[0]).toContain('70000');
    });

    it('lists every bad variable at once, one line each', () => {
      const message = failure({ PORT: 'abc', CHAT_ENGINE: 'mongo', HISTORY_SIZE: '0', HOST: 'localhost' });
      expect(badVariables(message).sort()).toEqual(['CHAT_ENGINE', 'HISTORY_SIZE', 'PORT']);
    });

    it('requires REDIS_URL with the redis engine', () => {
      expect(badVariables(failure({ CHAT_ENGINE: 'redis' }))).toEqual(['REDIS_URL']);
      expect(buildAppConfig({ CHAT_ENGINE: 'redis', REDIS_URL: 'redis://localhost:6379' }).engine).toEqual({
        kind: 'redis',
        redisUrl: 'redis://localhost:6379',
        redisKeyPrefix: 'parley:',
      });
    });

    it('refuses room limits that contradict each other', () => {
      expect(badVariables(failure({ ROOM_MIN_TTL_SECONDS: '900', ROOM_DEFAULT_TTL_SECONDS: '600' }))).toEqual([
        'ROOM_DEFAULT_TTL_SECONDS',
      ]);
      expect(badVariables(failure({ ROOM_DEFAULT_MAX_USERS: '500', ROOM_MAX_USERS_LIMIT: '100' }))).toEqual([
        'ROOM_DEFAULT_MAX_USERS',
      ]);
    });
  });

  describe('secrets in error messages', () => {
    const secret = 'short-but-very-recognisable';

    it('never shows a rejected JWT_SECRET', () => {
      for (const NODE_ENV of ['production', 'development']) {
        const message = failure({ ...PRODUCTION, NODE_ENV, JWT_SECRET: secret });
        expect(message).not.toContain(secret);
      }
    });

    it('never shows a valid JWT_SECRET when another variable is bad', () => {
      const message = failure({ ...PRODUCTION, PORT: 'abc', CHAT_ENGINE: 'mongo' });
      expect(message).not.toContain(PRODUCTION.JWT_SECRET);
    });

    it('never shows a rejected ADMIN_PASSWORD', () => {
      const message = failure({ ...PRODUCTION, ADMIN_PASSWORD: 'tiny-pw' });
      expect(badVariables(message)).toEqual(['ADMIN_PASSWORD']);
      expect(message).not.toContain('tiny-pw');
    });

    it('never shows a rejected JWT_SECRET however it fails validation', () => {
      const message = failure({ ...PRODUCTION, JWT_SECRET: 12345 });
      expect(message).not.toContain('12345');
    });
  });
});
