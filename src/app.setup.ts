import { ValidationPipe, type INestApplication, type LogLevel } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ChatIoAdapter } from './chat/chat-io.adapter.js';
import { validationFailed } from './common/errors/validation.js';
import { AppConfig } from './config/app-config.js';

export const API_PREFIX = 'api/v1';

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** The chosen level and every more severe one. */
export function logLevelsUpTo(level: LogLevel): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

/** The OpenAPI document served at /docs-json. */
export function buildOpenApi(app: INestApplication): ReturnType<typeof SwaggerModule.createDocument> {
  const config = new DocumentBuilder()
    .setTitle('Parley')
    .setDescription(
      'Self-hosted chat API. REST for rooms, history and tokens; real-time chat over Socket.IO on the `/chat` namespace (see the README). Every error body is `{ statusCode, code, message, details? }`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'User token (aud "chat")' })
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
  app.enableCors({ origin: config.http.corsOrigins === '*' ? true : config.http.corsOrigins });
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidUnknownValues: true,
      exceptionFactory: validationFailed,
    }),
  );
  app.useWebSocketAdapter(new ChatIoAdapter(app));
  if (config.http.swaggerEnabled) {
    SwaggerModule.setup('docs', app, buildOpenApi(app), { jsonDocumentUrl: 'docs-json' });
  }
  app.enableShutdownHooks();
}
