import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseEnvironment, type EnvironmentVariables } from './env.schema.js';

/** Typed, validated configuration. Injected by class token; built once per boot. */
export abstract class AppConfig {
  abstract readonly env: 'development' | 'production' | 'test';
  abstract readonly http: {
    readonly port: number;
    readonly host: string;
    readonly corsOrigins: string[] | '*';
    readonly maxPayloadBytes: number;
    readonly trustProxy: boolean | number;
    readonly swaggerEnabled: boolean;
  };
  abstract readonly engine: {
    readonly kind: 'memory' | 'redis';
    readonly redisUrl?: string;
    readonly redisKeyPrefix: string;
  };
  abstract readonly cluster: {
    readonly heartbeatIntervalMs: number;
    readonly instanceTtlMs: number;
    readonly shutdownTimeoutMs: number;
  };
  /** The version of this build (package.json). */
  abstract readonly version: string;
  abstract readonly auth: {
    readonly jwtSecret: string;
    /** True when the secret was generated at boot (development only). */
    readonly jwtSecretGenerated: boolean;
    readonly tokenTtlSeconds: number;
    readonly adminTokenTtlSeconds: number;
    readonly adminLoginMaxFailures: number;
    readonly adminLoginWindowMs: number;
    readonly adminUsername: string;
    readonly adminPassword: string;
    readonly adminPasswordGenerated: boolean;
    readonly scryptCost: number;
  };
  abstract readonly rooms: {
    readonly defaultTtlSeconds: number;
    readonly minTtlSeconds: number;
    readonly maxTtlSeconds: number;
    readonly defaultMaxUsers: number;
    readonly maxUsersLimit: number;
    readonly historySize: number;
    readonly messageMaxLength: number;
  };
  abstract readonly admin: {
    readonly liveIntervalMs: number;
    readonly moderationLogSize: number;
  };
  abstract readonly limits: {
    readonly http: { readonly limit: number; readonly windowMs: number };
    readonly auth: { readonly limit: number; readonly windowMs: number };
    readonly socketBurst: number;
    readonly socketEventsPerSecond: number;
    readonly messages: { readonly limit: number; readonly windowMs: number };
    readonly strikes: number;
    readonly handshakes: { readonly limit: number; readonly windowMs: number };
    readonly connectionsPerUser: number;
    readonly connectionsPerIp: number;
    /** Event-loop lag past which fan-out events are refused (LoadShedder); 0: never. */
    readonly overloadLagMs: number;
  };
  abstract readonly logLevel: EnvironmentVariables['LOG_LEVEL'];
}

/** package.json sits two levels up from both src/config and dist/config. */
function packageVersion(): string {
  const raw = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(raw) as { version: string }).version;
}

function parseTrustProxy(value: string): boolean | number {
  const v = value.trim().toLowerCase();
  if (v === 'true') {
    return true;
  }
  if (v === 'false' || v === '') {
    return false;
  }
  if (/^\d+$/.test(v)) {
    return Number(v);
  }
  throw new Error(`Invalid configuration:\nTRUST_PROXY: must be true, false or a hop count (got "${value}")`);
}

/**
 * Builds the typed configuration from the raw environment. In production a missing JWT secret or
 * admin credential stops the boot; in development they are generated for this boot only.
 */
export function buildAppConfig(raw: Record<string, unknown>): AppConfig {
  const env = parseEnvironment(raw);
  const problems: string[] = [];
  if (env.NODE_ENV === 'production') {
    if (!env.JWT_SECRET) {
      problems.push('JWT_SECRET: required in production (at least 32 bytes)');
    }
    if (!env.ADMIN_USERNAME) {
      problems.push('ADMIN_USERNAME: required in production');
    }
    if (!env.ADMIN_PASSWORD) {
      problems.push('ADMIN_PASSWORD: required in production');
    }
  }
  if (env.CHAT_ENGINE === 'redis' && !env.REDIS_URL) {
    problems.push('REDIS_URL: required when CHAT_ENGINE=redis');
  }
  if (env.INSTANCE_TTL_MS < 2 * env.HEARTBEAT_INTERVAL_MS) {
    problems.push('INSTANCE_TTL_MS: must be at least twice HEARTBEAT_INTERVAL_MS');
  }
  if (env.ROOM_MIN_TTL_SECONDS > env.ROOM_MAX_TTL_SECONDS) {
    problems.push('ROOM_MIN_TTL_SECONDS: must not exceed ROOM_MAX_TTL_SECONDS');
  }
  const ttlInRange =
    env.ROOM_DEFAULT_TTL_SECONDS >= env.ROOM_MIN_TTL_SECONDS &&
    env.ROOM_DEFAULT_TTL_SECONDS <= env.ROOM_MAX_TTL_SECONDS;
  if (!ttlInRange) {
    problems.push('ROOM_DEFAULT_TTL_SECONDS: must lie between ROOM_MIN_TTL_SECONDS and ROOM_MAX_TTL_SECONDS');
  }
  if (env.ROOM_DEFAULT_MAX_USERS > env.ROOM_MAX_USERS_LIMIT) {
    problems.push('ROOM_DEFAULT_MAX_USERS: must not exceed ROOM_MAX_USERS_LIMIT');
  }
  if (problems.length > 0) {
    throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const origins = env.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
  return {
    env: env.NODE_ENV,
    http: {
      port: env.PORT,
      host: env.HOST,
      corsOrigins: origins.includes('*') ? '*' : origins,
      maxPayloadBytes: env.MAX_PAYLOAD_BYTES,
      trustProxy: parseTrustProxy(env.TRUST_PROXY),
      swaggerEnabled: env.SWAGGER_ENABLED,
    },
    engine: { kind: env.CHAT_ENGINE, redisUrl: env.REDIS_URL, redisKeyPrefix: env.REDIS_KEY_PREFIX },
    cluster: {
      heartbeatIntervalMs: env.HEARTBEAT_INTERVAL_MS,
      instanceTtlMs: env.INSTANCE_TTL_MS,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    },
    version: packageVersion(),
    auth: {
      jwtSecret: env.JWT_SECRET ?? randomBytes(48).toString('base64url'),
      jwtSecretGenerated: !env.JWT_SECRET,
      tokenTtlSeconds: env.JWT_EXPIRES_IN_SECONDS,
      adminTokenTtlSeconds: env.ADMIN_JWT_EXPIRES_IN_SECONDS,
      adminLoginMaxFailures: env.ADMIN_LOGIN_MAX_FAILURES,
      adminLoginWindowMs: env.ADMIN_LOGIN_WINDOW_SECONDS * 1000,
      adminUsername: env.ADMIN_USERNAME ?? 'admin',
      adminPassword: env.ADMIN_PASSWORD ?? randomBytes(18).toString('base64url'),
      adminPasswordGenerated: !env.ADMIN_PASSWORD,
      scryptCost: env.SCRYPT_COST,
    },
    rooms: {
      defaultTtlSeconds: env.ROOM_DEFAULT_TTL_SECONDS,
      minTtlSeconds: env.ROOM_MIN_TTL_SECONDS,
      maxTtlSeconds: env.ROOM_MAX_TTL_SECONDS,
      defaultMaxUsers: env.ROOM_DEFAULT_MAX_USERS,
      maxUsersLimit: env.ROOM_MAX_USERS_LIMIT,
      historySize: env.HISTORY_SIZE,
      messageMaxLength: env.MESSAGE_MAX_LENGTH,
    },
    admin: {
      liveIntervalMs: env.ADMIN_LIVE_INTERVAL_MS,
      moderationLogSize: env.MODERATION_LOG_SIZE,
    },
    limits: {
      http: { limit: env.HTTP_RATE_LIMIT, windowMs: env.HTTP_RATE_WINDOW_SECONDS * 1000 },
      auth: { limit: env.AUTH_RATE_LIMIT, windowMs: env.AUTH_RATE_WINDOW_SECONDS * 1000 },
      socketBurst: env.SOCKET_EVENT_BURST,
      socketEventsPerSecond: env.SOCKET_EVENTS_PER_SECOND,
      messages: { limit: env.MESSAGE_RATE_LIMIT, windowMs: env.MESSAGE_RATE_WINDOW_SECONDS * 1000 },
      strikes: env.RATE_LIMIT_STRIKES,
      handshakes: { limit: env.HANDSHAKE_RATE_LIMIT, windowMs: env.HANDSHAKE_RATE_WINDOW_SECONDS * 1000 },
      connectionsPerUser: env.MAX_CONNECTIONS_PER_USER,
      connectionsPerIp: env.MAX_CONNECTIONS_PER_IP,
      overloadLagMs: env.OVERLOAD_LAG_MS,
    },
    logLevel: env.LOG_LEVEL,
  };
}
