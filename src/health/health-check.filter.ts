import { Catch, ServiceUnavailableException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { ChatError } from '../common/errors/chat-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';

/**
 * A failed health check answers 503 in terminus format (`status`, `info`, `error`, `details`: what
 * monitors read, API.md §8) and, like every error, with `statusCode`, `code` and `message`. The
 * global filter would otherwise reduce it to a bare error body that no longer says what is down.
 */
@Catch(ServiceUnavailableException)
export class HealthCheckFilter implements ExceptionFilter {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    const result = exception.getResponse() as Partial<HealthCheckResult>;
    const down = Object.keys(result.error ?? {});
    const error = new ChatError(ErrorCode.UNAVAILABLE, `Not ready: ${down.join(', ') || 'a check'} failed`);
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(error.status)
      .json({ ...result, statusCode: error.status, ...error.toPayload() });
  }
}
