import { Global, Module } from '@nestjs/common';
import { BansService } from './bans.service.js';
import { ClientsService } from './clients.service.js';
import { ModerationLogService } from './moderation-log.service.js';
import { ModerationController } from './moderation.controller.js';

const SERVICES = [BansService, ClientsService, ModerationLogService];

/** Clients, kicks, bans and the moderation log; bans are checked by auth and chat, hence global. */
@Global()
@Module({
  controllers: [ModerationController],
  providers: SERVICES,
  exports: SERVICES,
})
export class ModerationModule {}
