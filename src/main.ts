import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp, listen, SHUTDOWN_SIGNALS } from './app.setup.js';
import { AppConfig } from './config/app-config.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(await AppModule.forRoot(), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  configureApp(app);
  const { http, cluster } = app.get(AppConfig);
  exitWithin(cluster.shutdownTimeoutMs + 5000);
  await listen(app, http.port, http.host);
  new Logger('Parley').log(`Listening on http://${http.host}:${http.port} (docs at /docs)`);
}

/**
 * On SIGTERM/SIGINT Nest runs the shutdown hooks (clients handed over, registry left, Redis
 * closed); should any of them hang, the process still ends within the bound.
 */
function exitWithin(ms: number): void {
  for (const signal of SHUTDOWN_SIGNALS) {
    process.once(signal, () => {
      setTimeout(() => {
        new Logger('Parley').error(`Shutdown took longer than ${ms} ms: exiting`);
        process.exit(1);
      }, ms).unref();
    });
  }
}

bootstrap().catch((error: unknown) => {
  // A bad configuration prints one line per variable; anything else its stack.
  console.error(error instanceof Error && error.message.startsWith('Invalid configuration') ? error.message : error);
  process.exit(1);
});
