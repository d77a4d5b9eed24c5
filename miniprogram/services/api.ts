/**
 * The typed client: one `call(fn, action, params)` over the Api map of typings/api.ts, so a request or
 * response that drifts from the cloud functions fails `npm run typecheck`. Refusals become ApiError
 * carrying the envelope's Chinese message, which the pages show as is.
 */
import type { ActionName, Api, ApiError as ApiErrorBody, ErrorCode, FunctionName } from '../../typings/api';
import { defaultTransport, isTransportError, type Transport } from './transport';

export type ReqOf<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends { req: infer R }
  ? R
  : never;
export type ResOf<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends { res: infer R }
  ? R
  : never;

export type ClientErrorCode = ErrorCode | 'NETWORK_ERROR' | 'BAD_RESPONSE';

export class ApiError extends Error {
  constructor(
    public readonly code: ClientErrorCode,
    message: string,
    public readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
    // DevTools may compile classes to ES5; keep instanceof working there.
    Object.setPrototypeOf(this, ApiError.prototype);
  }
}

let transport: Transport | null = null;

/** Replace the transport (tests, screenshots); `null` goes back to the one config.mode chooses. */
export function setTransport(next: Transport | null): void {
  transport = next;
}

export async function call<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  params: ReqOf<F, A>,
): Promise<ResOf<F, A>> {
  const send = transport ?? defaultTransport();
  let envelope;
  try {
    envelope = await send(fn, { ...(params as object), action });
  } catch (err) {
    if (isTransportError(err)) throw new ApiError(err.code, err.message);
    throw new ApiError('NETWORK_ERROR', '网络异常，请稍后再试');
  }
  if (envelope.ok) return envelope.data as ResOf<F, A>;
  const body: ApiErrorBody = envelope.error;
  throw new ApiError(body.code, body.message || '请求失败，请稍后再试', body.details);
}

/** The message to show for anything a call threw. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return '出了点问题，请稍后再试';
}

export function errorCode(err: unknown): ClientErrorCode | null {
  return err instanceof ApiError ? err.code : null;
}

/** A string the refusal carries in its `details` (e.g. retryAt, maxAmount), or undefined. */
export function errorDetail(err: unknown, key: string): string | undefined {
  const value = err instanceof ApiError ? err.details?.[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * What a page shows when loading failed: its own state for a user without an account yet (an
 * invitation to open one, or simply nothing to pay), otherwise the error with its message.
 */
export function loadFailure<S extends string>(
  err: unknown,
  noAccount: S,
): { state: S } | { state: 'error'; error: string } {
  return errorCode(err) === 'NO_ACCOUNT'
    ? { state: noAccount }
    : { state: 'error', error: errorMessage(err) };
}

/**
 * Whether a write may have happened although its answer did not arrive or could not be read (no
 * connection, an unreadable answer, a server error): the retry must then send the same requestId,
 * so it is answered from the first attempt instead of being done again. A refusal is a definite
 * answer: a retry after it is a new request.
 */
export function outcomeUnknown(err: unknown): boolean {
  const code = errorCode(err);
  return code === null || code === 'NETWORK_ERROR' || code === 'BAD_RESPONSE' || code === 'INTERNAL';
}

/** An idempotency key (SPEC §9: 8–64 characters of [A-Za-z0-9_-]). */
export function newRequestId(prefix: string): string {
  const random = Math.random().toString(36).slice(2, 10).padEnd(8, '0');
  return `${prefix}_${Date.now().toString(36)}_${random}`;
}
