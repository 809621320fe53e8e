import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ChatError } from '../common/errors/chat-error.js';
import { chatErrorFromHttp } from '../common/filters/http-error.filter.js';

/** Index of the acknowledgement callback in a socket handler's arguments: [socket, data, ack, pattern]. */
const ACK_ARG = 2;

/**
 * Answers every failed socket event with `{ ok: false, error: { code, message, details? } }` on
 * its ack. Unknown errors are logged and answered as INTERNAL; nothing is thrown at the client.
 */
@Catch()
export class WsAckFilter implements ExceptionFilter {
  private readonly logger = new Logger(WsAckFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const ack: unknown = host.getArgByIndex(ACK_ARG);
    const error = this.toChatError(exception);
    if (typeof ack === 'function') {
      (ack as (response: unknown) => void)({ ok: false, error: error.toPayload() });
    }
  }

  private toChatError(exception: unknown): ChatError {
    if (exception instanceof ChatError) {
      return exception;
    }
    if (exception instanceof HttpException) {
      return chatErrorFromHttp(exception);
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return ChatError.internal();
  }
}
