import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { ChatError } from '../errors/chat-error.js';
import { validationFailed } from '../errors/validation.js';

const isPlainObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The one validation pipe, for HTTP bodies, queries and params and for socket event payloads
 * (Nest gives both kinds of body the type "body"). A body that is not an object at all (a string,
 * an array, null, nothing) is refused as such before its fields are looked at.
 */
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({ transform: true, whitelist: true, forbidUnknownValues: true, exceptionFactory: validationFailed });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && this.toValidate(metadata) && !isPlainObject(value)) {
      throw ChatError.validation('The payload must be an object', [
        { field: '', errors: ['payload must be an object'] },
      ]);
    }
    return super.transform(value, metadata);
  }
}
