import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  Matches,
  MinLength,
  validateSync,
  ValidateBy,
  type ValidationError,
  type ValidationOptions,
} from 'class-validator';
import { RateLimitVariables } from './rate-limit.schema.js';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') {
    return value;
  }
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) {
    return true;
  }
  if (['false', '0', 'no', 'off', ''].includes(v)) {
    return false;
  }
  return value;
};
/** At least `min` bytes in UTF-8 (a secret's strength is in bytes, not characters). */
function IsByteLengthAtLeast(min: number, options: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isByteLengthAtLeast',
      validator: { validate: (v: unknown) => typeof v === 'string' && Buffer.byteLength(v) >= min },
    },
    options,
  );
}

const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every environment variable Parley reads, with its default and its validation.
 * Nothing outside src/config/ reads process.env.
 */
export class EnvironmentVariables extends RateLimitVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsIn(['memory', 'redis'])
  CHAT_ENGINE: 'memory' | 'redis' = 'memory';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  REDIS_URL?: string;

  /** Every Redis key of this deployment starts with it (several deployments can share a Redis). */
  @IsString()
  @Matches(/^[A-Za-z0-9:_.-]{1,64}$/, { message: 'REDIS_KEY_PREFIX may use letters, digits and : _ . - (1–64)' })
  REDIS_KEY_PREFIX = 'parley:';

  /** How often each instance reports itself to the registry. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  HEARTBEAT_INTERVAL_MS = 1000;

  /** An instance silent for this long is dead: survivors release its sockets' seats. */
  @Transform(toInt)
  @IsInt()
  @Min(300)
  @Max(600_000)
  INSTANCE_TTL_MS = 5000;

  /** On SIGTERM: how long the instance may take to hand its clients over and leave (then it exits). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @IsByteLengthAtLeast(32, { message: 'JWT_SECRET must be at least 32 bytes long' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  JWT_EXPIRES_IN_SECONDS = 24 * 3600;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(24 * 3600)
  ADMIN_JWT_EXPIRES_IN_SECONDS = 900;

  /** Failed admin logins allowed per IP and per username within ADMIN_LOGIN_WINDOW_SECONDS. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  ADMIN_LOGIN_MAX_FAILURES = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 3600)
  ADMIN_LOGIN_WINDOW_SECONDS = 900;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ADMIN_USERNAME?: string;

  /** How often the console's live figures (Socket.IO namespace /admin) are pushed, in ms. */
  @Transform(toInt)
  @IsInt()
  @Min(250)
  @Max(60_000)
  ADMIN_LIVE_INTERVAL_MS = 2000;

  /** Moderation log entries kept (the oldest are dropped). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  MODERATION_LOG_SIZE = 10_000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters long' })
  ADMIN_PASSWORD?: string;

  /** Comma-separated list of allowed origins; "*" allows any origin. */
  @IsString()
  CORS_ORIGINS = '*';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  ROOM_DEFAULT_TTL_SECONDS = 600;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  ROOM_MIN_TTL_SECONDS = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  ROOM_MAX_TTL_SECONDS = 7 * 24 * 3600;

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(1000)
  ROOM_DEFAULT_MAX_USERS = 20;

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(100000)
  ROOM_MAX_USERS_LIMIT = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(1_000_000)
  HISTORY_SIZE = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  MESSAGE_MAX_LENGTH = 2000;

  /** Largest HTTP body and Socket.IO packet accepted, in bytes. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  MAX_PAYLOAD_BYTES = 16 * 1024;

  /**
   * scrypt cost parameter N (a power of two). The default is OWASP's recommendation (2^17, r=8, p=1).
   */
  @Transform(toInt)
  @IsInt()
  @IsIn(Array.from({ length: 11 }, (_, i) => 2 ** (10 + i)), {
    message: 'SCRYPT_COST must be a power of two from 1024 to 1048576',
  })
  SCRYPT_COST = 2 ** 17;

  /** Whether to trust X-Forwarded-For: "false", "true" (any hop) or a hop count. */
  @Transform(emptyToUndefined)
  @IsString()
  TRUST_PROXY = 'false';

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  @Transform(toBool)
  @IsIn([true, false], { message: 'SWAGGER_ENABLED must be true or false' })
  SWAGGER_ENABLED = true;
}

/** One line per invalid variable, e.g. `PORT: must not be greater than 65535 (got "70000")`. */
export function describeEnvErrors(errors: ValidationError[], raw: Record<string, unknown>): string[] {
  return errors.map((error) => {
    const constraints = error.constraints ?? {};
    // A value of the wrong type also breaks its range checks: name the type problem alone.
    const typeProblem = constraints.isInt ?? constraints.isString;
    const reasons = typeProblem ?? Object.values(constraints).join('; ');
    const given = raw[error.property];
    const shown = error.property.includes('SECRET') || error.property.includes('PASSWORD') ? '<hidden>' : given;
    return `${error.property}: ${reasons} (got ${JSON.stringify(shown)})`;
  });
}

/** Parses and validates the raw environment; throws with one line per bad variable. */
export function parseEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const known = Object.keys(new EnvironmentVariables());
  const picked: Record<string, unknown> = {};
  for (const key of [...known, 'JWT_SECRET', 'REDIS_URL', 'ADMIN_USERNAME', 'ADMIN_PASSWORD']) {
    if (raw[key] !== undefined) {
      picked[key] = raw[key];
    }
  }
  const env = plainToInstance(EnvironmentVariables, picked, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new Error(`Invalid configuration:\n${describeEnvErrors(errors, picked).join('\n')}`);
  }
  return env;
}
