import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { ChatError } from '../errors/chat-error.js';
import { ErrorCode } from '../errors/error-codes.js';

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.VALIDATION_FAILED,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.UNAUTHORIZED,
  [HttpStatus.FORBIDDEN]: ErrorCode.FORBIDDEN,
  [HttpStatus.NOT_FOUND]: ErrorCode.NOT_FOUND,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PAYLOAD_TOO_LARGE,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.RATE_LIMITED,
  [HttpStatus.SERVICE_UNAVAILABLE]: ErrorCode.UNAVAILABLE,
};

/** Turns an HttpException that Nest or Express raised (404 route, bad JSON, 413) into a ChatError. */
export function chatErrorFromHttp(exception: HttpException): ChatError {
  const status = exception.getStatus();
  const code = CODE_BY_STATUS[status];
  if (!code) {
    return status >= 500 ? ChatError.internal() : new ChatError(ErrorCode.VALIDATION_FAILED, exception.message);
  }
  const message =
    code === ErrorCode.VALIDATION_FAILED && exception.message.includes('JSON')
      ? 'Malformed JSON body'
      : exception.message;
  return new ChatError(code, message);
}

/**
 * Writes every HTTP error as `{ statusCode, code, message, details? }` (API.md §3). Unknown errors
 * are logged and answered as 500 INTERNAL without leaking their text.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = this.toChatError(exception);
    if (error.code === ErrorCode.RATE_LIMITED) {
      const details = error.details as { retryAfterMs?: number } | undefined;
      if (details?.retryAfterMs !== undefined) {
        response.setHeader('Retry-After', Math.ceil(details.retryAfterMs / 1000).toString());
      }
    }
    response.status(error.status).json({ statusCode: error.status, ...error.toPayload() });
  }

  private toChatError(exception: unknown): ChatError {
    if (exception instanceof ChatError) {
      return exception;
    }
    if (exception instanceof HttpException) {
      return chatErrorFromHttp(exception);
    }
    const status = (exception as { status?: unknown; type?: unknown } | null)?.status;
    // body-parser errors (malformed JSON, too large) carry a status but are not HttpExceptions.
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return chatErrorFromHttp(new HttpException((exception as Error).message, status));
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return ChatError.internal();
  }
}
