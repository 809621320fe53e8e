import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthUser } from '../../auth/auth-user.js';
import { ChatError } from '../errors/chat-error.js';

/** The user the guard attached to the request. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<Request & { user?: AuthUser }>().user;
  if (!user) {
    throw ChatError.unauthorized();
  }
  return user;
});
