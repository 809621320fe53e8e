import { Module } from '@nestjs/common';
import { RoomsModule } from '../rooms/rooms.module.js';
import { AdminAuthService } from './admin-auth.service.js';
import { AdminLiveGateway } from './admin-live.gateway.js';
import { AdminModerationService } from './admin-moderation.service.js';
import { AdminStatsService } from './admin-stats.service.js';
import { AdminController } from './admin.controller.js';

@Module({
  imports: [RoomsModule],
  controllers: [AdminController],
  providers: [AdminAuthService, AdminModerationService, AdminStatsService, AdminLiveGateway],
})
export class AdminModule {}
