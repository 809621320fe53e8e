import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { AdminIdentity } from '../../auth/token.service.js';
import { ChatError } from '../errors/chat-error.js';

/** The username of the admin whose token the guard accepted (recorded in the moderation log). */
export const CurrentAdmin = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const admin = context.switchToHttp().getRequest<Request & { admin?: AdminIdentity }>().admin;
  if (!admin) {
    throw ChatError.unauthorized();
  }
  return admin.username;
});
