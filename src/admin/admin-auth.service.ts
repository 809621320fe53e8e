import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { TokenService } from '../auth/token.service.js';
import { ChatError } from '../common/errors/chat-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { AppConfig } from '../config/app-config.js';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import type { AdminTokenDto } from './dto/admin.dto.js';

/** Compares two strings in time that does not depend on where they differ. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Admin login against ADMIN_USERNAME / ADMIN_PASSWORD. Failed attempts are counted per client IP
 * and per username (shared by every instance through the engine); past the limit, logins are
 * refused with RATE_LIMITED until the window ends, right password or not.
 */
@Injectable()
export class AdminAuthService {
  constructor(
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly config: AppConfig,
    private readonly tokens: TokenService,
  ) {}

  async login(username: string, password: string, ip: string): Promise<AdminTokenDto> {
    const now = Date.now();
    const keys = [`admin-login:ip:${ip}`, `admin-login:user:${username.trim().toLowerCase()}`];
    await this.refuseIfLimited(keys, now);
    const { adminUsername, adminPassword } = this.config.auth;
    const valid = sameSecret(username.trim(), adminUsername) && sameSecret(password, adminPassword);
    if (!valid) {
      const { adminLoginWindowMs } = this.config.auth;
      await Promise.all(keys.map((key) => this.engine.countAttempt(key, adminLoginWindowMs, now)));
      throw new ChatError(ErrorCode.INVALID_CREDENTIALS, 'Wrong admin username or password');
    }
    await Promise.all(keys.map((key) => this.engine.clearAttempts(key)));
    return { ...this.tokens.signAdmin({ username: adminUsername }), tokenType: 'Bearer' };
  }

  private async refuseIfLimited(keys: string[], now: number): Promise<void> {
    const counts = await Promise.all(keys.map((key) => this.engine.getAttempts(key, now)));
    const limited = counts.filter((c) => c !== null && c.count >= this.config.auth.adminLoginMaxFailures);
    if (limited.length > 0) {
      const retryAfterMs = Math.max(...limited.map((c) => (c?.resetAt ?? now) - now));
      throw new ChatError(ErrorCode.RATE_LIMITED, 'Too many failed admin logins; try again later', { retryAfterMs });
    }
  }
}
