import type { ValidationError } from 'class-validator';
import { ChatError } from './chat-error.js';

/** One entry per invalid field, nested paths joined with dots. */
export interface FieldError {
  field: string;
  errors: string[];
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, errors: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** The exceptionFactory of every ValidationPipe: one VALIDATION_FAILED with per-field details. */
export function validationFailed(errors: ValidationError[]): ChatError {
  const details = flattenValidationErrors(errors);
  const summary = details.map((d) => `${d.field}: ${d.errors.join(', ')}`).join('; ');
  return ChatError.validation(summary || 'Invalid payload', details);
}
