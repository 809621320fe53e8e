import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { IS_ADMIN } from '../common/decorators/admin.decorator.js';
import { IS_PUBLIC } from '../common/decorators/public.decorator.js';
import { ChatError } from '../common/errors/chat-error.js';
import type { AuthUser } from './auth-user.js';
import { TokenService, type AdminIdentity } from './token.service.js';

/** Extracts `Authorization: Bearer <token>`; null when the header is absent or of another scheme. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1] : null;
}

/** Global guard: every HTTP route needs a user token unless marked @Public(); @Admin() routes an admin token. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') {
      return true;
    }
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) {
      return true;
    }
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser; admin?: AdminIdentity }>();
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      throw ChatError.unauthorized('Missing bearer token (Authorization: Bearer <token>)');
    }
    const isAdmin = this.reflector.getAllAndOverride<boolean>(IS_ADMIN, [context.getHandler(), context.getClass()]);
    if (isAdmin) {
      request.admin = this.tokens.verifyAdmin(token);
    } else {
      request.user = this.tokens.verifyUser(token);
    }
    return true;
  }
}
