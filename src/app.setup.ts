import { ShutdownSignal, type INestApplication, type LogLevel } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { ChatIoAdapter } from './chat/chat-io.adapter.js';
import { AppValidationPipe } from './common/pipes/app-validation.pipe.js';
import { AppConfig } from './config/app-config.js';
import { AdapterConnections } from './engine/engine.module.js';

export const API_PREFIX = 'api/v1';

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** The chosen level and every more severe one. */
export function logLevelsUpTo(level: LogLevel): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

const OPENAPI_DESCRIPTION = [
  'Self-hosted chat API: REST for tokens, rooms and history; real-time chat over Socket.IO.',
  '',
  'Every error body is `{ statusCode, code, message, details? }` with a machine-readable `code`.',
  '',
  '**Socket.IO** — `io(baseUrl + "/chat", { auth: { token } })` (never a token in the URL). A refused',
  'handshake gives `connect_error` with `err.message` = the code and `err.data = { code, message, until? }`;',
  'on connect the server emits `session { user }`. Every client event takes an ack answered with',
  '`{ ok: true, ...result }` or `{ ok: false, error: { code, message, details? } }`:',
  '',
  '| client event | payload | ack result |',
  '|---|---|---|',
  '| `room:join` | `{ roomId, password?, since?: { seq, epoch } }` | `{ room, members, messages, recovered }` |',
  '| `room:leave` | `{ roomId }` | `{}` |',
  '| `message:send` | `{ roomId, content, clientMsgId? }` | `{ message }` |',
  '| `room:history` | `{ roomId, before?, after?, limit? }` | `{ messages, epoch }` |',
  '| `room:typing` | `{ roomId, typing }` | `{}` |',
  '| `user:rename` | `{ username }` | `{ user, accessToken, expiresIn }` |',
  '',
  'Any event can be refused `RATE_LIMITED` with `details.retryAfterMs`: past the per-connection or per-user',
  'limits, and `message:send` and the start of `room:typing` also while the server is overloaded. Retry after that wait.',
  '',
  'Server events: `message:new`, `message:deleted`, `room:member-joined`, `room:member-left`, `room:typing`,',
  '`user:renamed`, `room:closed`, `system:announcement`, `moderation:banned`, `moderation:kicked`.',
].join('\n');

/** The OpenAPI document served at /docs-json. */
export function buildOpenApi(app: INestApplication): ReturnType<typeof SwaggerModule.createDocument> {
  const config = new DocumentBuilder()
    .setTitle('Parley')
    .setDescription(OPENAPI_DESCRIPTION)
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'User token (aud "chat")' })
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'Admin token (aud "chat-admin"), from POST /api/v1/admin/login',
      },
      'admin',
    )
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Everything main.ts applies to the app, shared with the e2e tests so that they boot the same
 * server: prefix, body limits, validation, CORS, Socket.IO adapter, Swagger.
 */
export function configureApp(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  app.useLogger(logLevelsUpTo(config.logLevel));
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready'] });
  app.useBodyParser('json', { limit: config.http.maxPayloadBytes });
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  // Security headers on every answer. The JSON API needs no CSP and /docs (Swagger UI) would break
  // under the default one; the admin console sends its own (AdminConsoleModule). The API is meant
  // to be called from other origins (CORS_ORIGINS), hence the cross-origin resource policy.
  app.use(helmet({ contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: 'cross-origin' } }));
  app.enableCors({ origin: config.http.corsOrigins === '*' ? true : config.http.corsOrigins });
  app.useGlobalPipes(new AppValidationPipe());
  app.useWebSocketAdapter(new ChatIoAdapter(app));
  if (config.http.swaggerEnabled) {
    SwaggerModule.setup('docs', app, buildOpenApi(app), { jsonDocumentUrl: 'docs-json' });
  }
  app.enableShutdownHooks(SHUTDOWN_SIGNALS);
}

/**
 * The signals that stop an instance gracefully: Nest's list but SIGUSR2, which operators use for
 * heap snapshots (`--heapsnapshot-signal=SIGUSR2`) and which must not stop the instance.
 */
export const SHUTDOWN_SIGNALS = Object.values(ShutdownSignal).filter((signal) => signal !== ShutdownSignal.SIGUSR2);

/** Initialises the app, waits for the Socket.IO adapter's subscriptions, then listens. */
export async function listen(app: NestExpressApplication, port: number, host: string): Promise<void> {
  await app.init();
  await app.get(AdapterConnections).settled();
  await app.listen(port, host);
}
