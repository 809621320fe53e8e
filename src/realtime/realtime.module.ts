import { Global, Module } from '@nestjs/common';
import { RealtimeService } from './realtime.service.js';
import { SocketEjector } from './socket-ejector.js';

@Global()
@Module({ providers: [RealtimeService, SocketEjector], exports: [RealtimeService, SocketEjector] })
export class RealtimeModule {}
