import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HttpRateLimitGuard } from './http-rate-limit.guard.js';
import { SocketLimits } from './socket-limits.service.js';

/** The limits of README "Limits and abuse protection": HTTP (a global guard) and Socket.IO. */
@Global()
@Module({
  providers: [{ provide: APP_GUARD, useClass: HttpRateLimitGuard }, SocketLimits],
  exports: [SocketLimits],
})
export class RateLimitModule {}
