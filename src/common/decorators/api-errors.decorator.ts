import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from '../dto/error-body.dto.js';
import { ERROR_STATUS, type ErrorCode } from '../errors/error-codes.js';

/** Documents each error code a route can answer with, grouped by HTTP status. */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, list]) =>
      ApiResponse({ status, description: list.join(' or '), type: ErrorBodyDto }),
    ),
  );
}
