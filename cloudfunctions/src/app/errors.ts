/** Errors that cross the API boundary: a code from the contract, a Chinese message, optional details. */
import type { ApiError, ErrorCode } from '../../../typings/api';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toApi(): ApiError {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

/**
 * An id that names nothing the caller may see (missing, or another user's: the two answer alike).
 * SPEC §9 keeps 404 for an unknown function or action, so this is invalid input naming the field,
 * with `reason: 'not_found'` telling it from a malformed value.
 */
export function notFound(field: string, message: string): AppError {
  return new AppError('INVALID_INPUT', message, { field, reason: 'not_found' });
}

/** A business refusal returned from inside a transaction, so the transaction can still commit what the refusal records. */
export interface Refusal {
  refused: ApiError;
}

export function refusal(code: ErrorCode, message: string, details?: Record<string, unknown>): Refusal {
  return { refused: details ? { code, message, details } : { code, message } };
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && 'refused' in value;
}

/** HTTP status of each code (SPEC §9): 400 for invalid input and business refusals. */
export function httpStatus(code: ErrorCode): number {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'IDEMPOTENCY_CONFLICT':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'INTERNAL':
      return 500;
    default:
      return 400;
  }
}
