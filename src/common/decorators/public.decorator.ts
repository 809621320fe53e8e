import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'parley:isPublic';

/** Opts a route out of the global user-token guard. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
