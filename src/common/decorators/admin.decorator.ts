import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

export const IS_ADMIN = 'parley:isAdmin';

/** The route needs an admin token (`aud: "chat-admin"`); a user token is refused. */
export const Admin = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_ADMIN, true), ApiBearerAuth('admin'), ApiTags('admin'));
