import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';

/** Unicode letters and digits, space, `_ . -` (API.md §1). */
export const USERNAME_PATTERN = /^[\p{L}\p{N} _.-]+$/u;
export const USERNAME_MAX = 32;

export function isValidUsername(value: string): boolean {
  const trimmed = value.trim();
  return trimmed.length >= 1 && [...trimmed].length <= USERNAME_MAX && USERNAME_PATTERN.test(trimmed);
}

/** Trims, then checks length 1–32 and the allowed characters. */
export function IsUsername(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    Length(1, USERNAME_MAX),
    Matches(USERNAME_PATTERN, {
      message: 'username may contain only letters, digits, spaces and _ . -',
    }),
  );
}
