import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '../errors/error-codes.js';

/** The body of every non-2xx HTTP response (API.md §3). */
export class ErrorBodyDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ enum: Object.values(ErrorCode), example: ErrorCode.VALIDATION_FAILED })
  code!: ErrorCode;

  @ApiProperty({ example: 'name: name must be longer than or equal to 1 characters' })
  message!: string;

  @ApiPropertyOptional({
    description:
      'VALIDATION_FAILED: an array of `{ field, errors: string[] }`; RATE_LIMITED: `{ retryAfterMs }`; BANNED: `{ until }` (null when permanent)',
    oneOf: [
      {
        type: 'array',
        items: {
          type: 'object',
          properties: { field: { type: 'string' }, errors: { type: 'array', items: { type: 'string' } } },
        },
      },
      { type: 'object', additionalProperties: true },
    ],
    example: [{ field: 'name', errors: ['name must be longer than or equal to 1 characters'] }],
  })
  details?: unknown;
}
