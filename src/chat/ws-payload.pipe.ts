import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { MessageBody } from '@nestjs/websockets';
import { ChatError } from '../common/errors/chat-error.js';
import { validationFailed } from '../common/errors/validation.js';

/**
 * Validates a socket event payload against its DTO. A payload that is not a plain object (missing,
 * a string, an array) is refused before class-validator sees it.
 */
export class WsPayloadPipe extends ValidationPipe {
  constructor() {
    super({ transform: true, whitelist: true, forbidUnknownValues: true, exceptionFactory: validationFailed });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw ChatError.validation('The payload must be an object', [
        { field: '', errors: ['payload must be an object'] },
      ]);
    }
    return super.transform(value, metadata);
  }
}

const payloadPipe = new WsPayloadPipe();

/** The validated payload of a socket event. */
export const Payload = (): ParameterDecorator => MessageBody(payloadPipe);
