/**
 * Idempotency keys in the manner of Stripe: the first answer for (caller, function, action,
 * requestId) is stored in the same transaction as the write it describes and replayed on retry;
 * the same key with different parameters is IDEMPOTENCY_CONFLICT. Refusals are stored too, since
 * they may have recorded something (a risk event) that a retry must not record twice.
 */
import crypto from 'node:crypto';
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

/** Node's one-shot digest where it exists (Node ≥ 20.12; the cloud runtime is Node 16): half the cost. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function hash(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

/**
 * JSON with sorted keys, so equal parameters hash equally whatever their key order. Stored memos
 * hold its hash: the form must never change (test/functions/idempotency.test.ts holds it).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      out += canonicalJson(value[i]) ?? ''; // undefined (never in parsed JSON) as join() writes it
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  // The default sort compares UTF-16 code units, as `<` does.
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}
