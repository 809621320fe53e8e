import { Global, Module } from '@nestjs/common';
import { RoomsModule } from '../rooms/rooms.module.js';
import { ClusterService } from './cluster.service.js';
import { GracefulShutdown } from './graceful-shutdown.service.js';

/** The instance registry and the instance's orderly exit (global: readiness and handshakes ask it). */
@Global()
@Module({
  imports: [RoomsModule],
  providers: [ClusterService, GracefulShutdown],
  exports: [ClusterService, GracefulShutdown],
})
export class ClusterModule {}
