import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HttpRateLimitGuard } from './http-rate-limit.guard.js';
import { LoadShedder } from './load-shedder.js';
import { SocketLimits } from './socket-limits.service.js';

/**
 * The limits of README "Limits and abuse protection": HTTP (a global guard) and Socket.IO, with
 * the shedding of fan-out events while the instance is overloaded (LoadShedder, used by
 * SocketLimits; ClusterService reports its refusals with the instance's figures).
 */
@Global()
@Module({
  providers: [{ provide: APP_GUARD, useClass: HttpRateLimitGuard }, SocketLimits, LoadShedder],
  exports: [SocketLimits, LoadShedder],
})
export class RateLimitModule {}
