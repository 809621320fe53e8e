import { Transform } from 'class-transformer';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/** The abuse limits (README "Limits"); part of EnvironmentVariables. */
export class RateLimitVariables {
  /** HTTP requests per client IP per window, on every route but health checks. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  HTTP_RATE_LIMIT = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  HTTP_RATE_WINDOW_SECONDS = 60;

  /** Requests per client IP per window to /auth/* and the admin login (on top of the general limit). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AUTH_RATE_LIMIT = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  AUTH_RATE_WINDOW_SECONDS = 60;

  /** Token bucket per connection on every client event: the burst... */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  SOCKET_EVENT_BURST = 30;

  /** ...and the tokens given back per second. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  SOCKET_EVENTS_PER_SECOND = 10;

  /** message:send per user per window, across the cluster (a sliding window). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  MESSAGE_RATE_LIMIT = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  MESSAGE_RATE_WINDOW_SECONDS = 10;

  /** Refused sends in a row after which the socket is disconnected. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  RATE_LIMIT_STRIKES = 20;

  /** /chat handshakes per client IP per window, across the cluster. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  HANDSHAKE_RATE_LIMIT = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  HANDSHAKE_RATE_WINDOW_SECONDS = 60;

  /** Connections at once per user and per client IP, across the cluster. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  MAX_CONNECTIONS_PER_USER = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  MAX_CONNECTIONS_PER_IP = 200;

  /**
   * Event-loop lag (ms) past which message:send and room:typing are refused RATE_LIMITED until
   * the instance catches up (LoadShedder); 0 turns the shedding off. Anything else is at least
   * 100: below that, a timer's ordinary jitter would count as overload.
   */
  @Transform(toInt)
  @ValidateIf((env: RateLimitVariables) => env.OVERLOAD_LAG_MS !== 0)
  @IsInt()
  @Min(100)
  @Max(60_000)
  OVERLOAD_LAG_MS = 1000;
}
