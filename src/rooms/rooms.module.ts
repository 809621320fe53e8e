import { Module } from '@nestjs/common';
import { RoomLifecycleService } from './room-lifecycle.service.js';
import { RoomsController } from './rooms.controller.js';
import { RoomsService } from './rooms.service.js';

@Module({
  controllers: [RoomsController],
  providers: [RoomsService, RoomLifecycleService],
  exports: [RoomsService, RoomLifecycleService],
})
export class RoomsModule {}
