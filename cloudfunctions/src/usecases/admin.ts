/** Operator actions (allow-listed openids only; the handler's guard checks that). */
import type { AccountStatus } from '../../../typings/api';
import type { Ctx } from '../app/context';
import { notFound } from '../app/errors';
import { AccountDoc, statusOf } from './documents';

/**
 * Lift the anti-fraud review and forget the requests that triggered it. An account not under
 * review is left as it is (its request history still counts towards the next review).
 */
export async function clearReview(
  ctx: Ctx,
  openid: string,
): Promise<{ openid: string; status: AccountStatus }> {
  return ctx.deps.store.transaction(async (tx) => {
    const account = await tx.get<AccountDoc>('accounts', openid);
    if (!account) throw notFound('openid', '该用户未开通分付');
    if (!account.underReview) return { openid, status: statusOf(account) };
    const updated: AccountDoc = {
      ...account,
      underReview: false,
      reeval: { ...account.reeval, requestTimes: [] },
    };
    await tx.put('accounts', updated);
    return { openid, status: statusOf(updated) };
  });
}
