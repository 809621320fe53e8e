import { Global, Logger, Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigModule as NestConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig, buildAppConfig } from './app-config.js';

export interface ConfigModuleOptions {
  /** Variables that take precedence over the process environment (tests use this). */
  overrides?: Record<string, string>;
  /** Read `.env` from the working directory (default true; tests turn it off). */
  envFile?: boolean;
}

class ConfigBanner implements OnApplicationBootstrap {
  private readonly logger = new Logger('Config');
  constructor(private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    const { auth } = this.config;
    if (auth.jwtSecretGenerated) {
      this.logger.warn('JWT_SECRET not set: a random secret was generated; tokens die with this process.');
    }
    if (auth.adminPasswordGenerated) {
      // Printed once, on purpose: development has no other way to learn it.
      this.logger.warn(
        `ADMIN_PASSWORD not set: admin login for this run is ${auth.adminUsername} / ${auth.adminPassword}`,
      );
    }
  }
}

/** Loads `.env`, validates every variable once and provides the typed {@link AppConfig}. */
@Global()
@Module({})
export class ConfigModule {
  /** Async so that a configuration error reaches the caller instead of becoming an unhandled rejection. */
  static async forRoot(options: ConfigModuleOptions = {}): Promise<DynamicModule> {
    return {
      module: ConfigModule,
      imports: [
        await NestConfigModule.forRoot({
          cache: true,
          ignoreEnvFile: options.envFile === false,
          // Returned under one key so that nothing generated is copied back into process.env.
          validate: (raw) => ({ app: buildAppConfig({ ...raw, ...options.overrides }) }),
        }),
      ],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          useFactory: (config: ConfigService): AppConfig => config.getOrThrow<AppConfig>('app'),
        },
        { provide: ConfigBanner, inject: [AppConfig], useFactory: (c: AppConfig) => new ConfigBanner(c) },
      ],
      exports: [AppConfig],
    };
  }
}
