import { ChatError } from './chat-error.js';
import { ErrorCode } from './error-codes.js';

describe('ChatError', () => {
  it('answers with its code, message and details, without a stack trace of its own', () => {
    const error = ChatError.rateLimited('Slow down', 1500.2);
    expect(error).toBeInstanceOf(Error);
    expect(error.toPayload()).toStrictEqual({
      code: ErrorCode.RATE_LIMITED,
      message: 'Slow down',
      details: { retryAfterMs: 1501 },
    });
    expect(error.status).toBe(429);
    expect(error.stack).toBe('ChatError: Slow down');
    expect(new ChatError(ErrorCode.NOT_A_MEMBER, 'Join first').toPayload()).toStrictEqual({
      code: ErrorCode.NOT_A_MEMBER,
      message: 'Join first',
    });
  });

  it("leaves other errors' stack traces as they were, so that a bug is still logged with its frames", () => {
    const limit = Error.stackTraceLimit;
    void new ChatError(ErrorCode.INTERNAL, 'Internal error');
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('bug').stack).toMatch(/\n\s+at .*chat-error\.spec/);
  });
});
