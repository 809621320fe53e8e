import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AdminConsoleModule } from './admin/admin-console.module.js';
import { AdminModule } from './admin/admin.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ChatModule } from './chat/chat.module.js';
import { ClusterModule } from './cluster/cluster.module.js';
import { ClientIpModule } from './common/client-ip.js';
import { HttpErrorFilter } from './common/filters/http-error.filter.js';
import { RootNotFoundHandler } from './common/filters/root-not-found.handler.js';
import { ConfigModule, type ConfigModuleOptions } from './config/config.module.js';
import { EngineModule } from './engine/engine.module.js';
import { HealthModule } from './health/health.module.js';
import { ModerationModule } from './moderation/moderation.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { RoomsModule } from './rooms/rooms.module.js';

@Module({})
export class AppModule {
  static async forRoot(options: ConfigModuleOptions = {}): Promise<DynamicModule> {
    return {
      module: AppModule,
      imports: [
        await ConfigModule.forRoot(options),
        EngineModule,
        RealtimeModule,
        ClientIpModule,
        ModerationModule,
        RateLimitModule,
        AuthModule,
        RoomsModule,
        ChatModule,
        ClusterModule,
        HealthModule,
        AdminModule,
        AdminConsoleModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }, RootNotFoundHandler],
    };
  }
}
