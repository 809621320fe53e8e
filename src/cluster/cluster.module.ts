import { Module } from '@nestjs/common';
import { RoomsModule } from '../rooms/rooms.module.js';
import { ClusterService } from './cluster.service.js';

@Module({
  imports: [RoomsModule],
  providers: [ClusterService],
  exports: [ClusterService],
})
export class ClusterModule {}
