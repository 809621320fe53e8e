import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but when present it must pass its other rules. Unlike class-validator's
 * IsOptional, `null` is not "left out": `{ clientMsgId: null }` is refused instead of slipping past
 * every check as a value the services never expect.
 */
export const Optional = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined);
