import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { ChatError } from '../errors/chat-error.js';
import { validationFailed } from '../errors/validation.js';
import { FlatDtoCheck } from './flat-dto-check.js';

const isPlainObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

/** No payload of the contract nests deeper than this; deeper is refused before any recursion. */
export const MAX_PAYLOAD_DEPTH = 32;

/** Whether `value` nests objects or arrays deeper than `limit` (iterative: a hostile depth cannot blow the stack). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) {
      continue;
    }
    if (depth >= limit) {
      return true;
    }
    for (const child of Object.values(current)) {
      stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * The one validation pipe, for HTTP bodies, queries and params and for socket event payloads
 * (Nest gives both kinds of body the type "body"). A body that is not an object at all (a string,
 * an array, null, nothing) is refused as such before its fields are looked at, and so is one
 * nested deeper than MAX_PAYLOAD_DEPTH. A flat body that certainly passes is accepted by
 * FlatDtoCheck; every other body, and every error, goes through Nest's ValidationPipe.
 */
export class AppValidationPipe extends ValidationPipe {
  /** Valid flat bodies (every message:send) are accepted without the full class-validator pass. */
  private readonly flat = new FlatDtoCheck();

  constructor() {
    super({ transform: true, whitelist: true, forbidUnknownValues: true, exceptionFactory: validationFailed });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && this.toValidate(metadata) && !isPlainObject(value)) {
      throw ChatError.validation('The payload must be an object', [
        { field: '', errors: ['payload must be an object'] },
      ]);
    }
    if (metadata.type !== 'custom' && this.toValidate(metadata) && nestsDeeperThan(value, MAX_PAYLOAD_DEPTH)) {
      // class-transformer walks nested values recursively and would overflow the stack.
      throw ChatError.validation(`The payload nests deeper than ${MAX_PAYLOAD_DEPTH} levels`, [
        { field: '', errors: [`payload nests deeper than ${MAX_PAYLOAD_DEPTH} levels`] },
      ]);
    }
    if (metadata.type === 'body' && metadata.metatype && this.toValidate(metadata)) {
      const accepted = this.flat.accept(metadata.metatype, value as Record<string, unknown>);
      if (accepted !== undefined) {
        return accepted;
      }
    }
    return super.transform(value, metadata);
  }
}
