import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ChatError } from '../errors/chat-error.js';
import { ErrorCode } from '../errors/error-codes.js';

/**
 * Nest answers unknown routes under the global prefix only; any other path (`/nope`) would get
 * Express's HTML page. Mounted once every route exists, behind all of them, it answers those with
 * the error body too (API.md §3: every non-2xx).
 */
@Injectable()
export class RootNotFoundHandler implements OnApplicationBootstrap {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    this.adapterHost.httpAdapter?.use((request: Request, response: Response) => {
      const error = new ChatError(ErrorCode.NOT_FOUND, `Cannot ${request.method} ${request.path}`);
      response.status(error.status).json({ statusCode: error.status, ...error.toPayload() });
    });
  }
}
