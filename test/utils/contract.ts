/**
 * The machine-readable error codes of API.md §6, written out here so that the tests check the
 * contract independently of src/.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'INVALID_CREDENTIALS',
  'USERNAME_TAKEN',
  'ROOM_NOT_FOUND',
  'ROOM_FULL',
  'WRONG_PASSWORD',
  'NOT_A_MEMBER',
  'RATE_LIMITED',
  'BANNED',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
