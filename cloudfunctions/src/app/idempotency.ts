/**
 * Idempotency keys in the manner of Stripe: the first answer for (caller, function, action,
 * requestId) is stored in the same transaction as the write it describes and replayed on retry;
 * the same key with different parameters is IDEMPOTENCY_CONFLICT. Refusals are stored too, since
 * they may have recorded something (a risk event) that a retry must not record twice.
 */
import { createHash } from 'node:crypto';
import type { Doc, Tx } from '../ports/store';
import { AppError, Refusal } from './errors';

interface IdempotencyDoc extends Doc {
  openid: string;
  scope: string;
  paramsHash: string;
  result: unknown;
  at: number;
}

export interface IdempotencyScope {
  openid: string;
  fn: string;
  action: string;
  requestId: string;
}

export async function idempotent<R>(
  tx: Tx,
  scope: IdempotencyScope,
  params: unknown,
  at: number,
  body: () => Promise<R | Refusal>,
): Promise<R | Refusal> {
  const id = hash(`${scope.openid}\u0000${scope.fn}.${scope.action}\u0000${scope.requestId}`).slice(0, 40);
  const paramsHash = hash(canonicalJson(params));
  const prior = await tx.get<IdempotencyDoc>('idempotency', id);
  if (prior) {
    if (prior.paramsHash !== paramsHash) {
      throw new AppError('IDEMPOTENCY_CONFLICT', '该请求编号已用于另一笔不同的请求', { field: 'requestId' });
    }
    return prior.result as R | Refusal;
  }
  const result = await body();
  await tx.add<IdempotencyDoc>('idempotency', {
    _id: id,
    openid: scope.openid,
    scope: `${scope.fn}.${scope.action}`,
    paramsHash,
    result,
    at,
  });
  return result;
}

export function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with sorted keys, so equal parameters hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
