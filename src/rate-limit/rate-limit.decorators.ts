import { SetMetadata } from '@nestjs/common';

export const STRICT_LIMIT = 'parley:strictLimit';
export const NO_LIMIT = 'parley:noLimit';

/** The route also counts against the stricter `auth` limit (AUTH_RATE_LIMIT per IP). */
export const StrictLimit = (): MethodDecorator & ClassDecorator => SetMetadata(STRICT_LIMIT, true);

/** The route is never rate limited (health checks polled by load balancers). */
export const NoRateLimit = (): MethodDecorator & ClassDecorator => SetMetadata(NO_LIMIT, true);
