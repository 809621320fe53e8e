import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ClientIp } from '../common/client-ip.js';
import { ChatError } from '../common/errors/chat-error.js';
import { AppConfig } from '../config/app-config.js';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import { NO_LIMIT, STRICT_LIMIT } from './rate-limit.decorators.js';

/**
 * Named HTTP limits per client IP (TRUST_PROXY aware): `default` on every route, `auth` in
 * addition on routes marked @StrictLimit(). Counted on the engine's attempt counters (fixed
 * windows, one atomic step, keys expiring with their window; shared by every instance under
 * Redis). Over a limit: 429 RATE_LIMITED with `details.retryAfterMs` and `Retry-After`.
 */
@Injectable()
export class HttpRateLimitGuard implements CanActivate {
  constructor(
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly config: AppConfig,
    private readonly reflector: Reflector,
    private readonly clientIp: ClientIp,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (context.getType() !== 'http' || this.reflector.getAllAndOverride<boolean>(NO_LIMIT, targets)) {
      return true;
    }
    const ip = this.clientIp.of(context.switchToHttp().getRequest<Request>());
    const { http, auth } = this.config.limits;
    await this.count('default', ip, http);
    if (this.reflector.getAllAndOverride<boolean>(STRICT_LIMIT, targets)) {
      await this.count('auth', ip, auth);
    }
    return true;
  }

  private async count(name: string, ip: string, limit: { limit: number; windowMs: number }): Promise<void> {
    const now = Date.now();
    const { count, resetAt } = await this.engine.countAttempt(`http:${name}:${ip}`, limit.windowMs, now);
    if (count > limit.limit) {
      throw ChatError.rateLimited('Too many requests; slow down', resetAt - now);
    }
  }
}
