/** Shared helpers for the calendar-edge tests (not a test file). */
import type { BillSummaryData, Statement } from '../../../typings/api';
import { GROCERY, Harness, rid } from '../../support/harness';

export type Merchant = { id: string; name: string; category: string; scene: string };

export function helpers(get: () => Harness) {
  const h = () => get();
  return {
    spend: (amount: string, openid = 'u_alice', merchant: Merchant = GROCERY, city?: string) =>
      h().call<{ txnId: string; available: string }>(
        'pay',
        'spend',
        { requestId: rid(), amount, merchant, ...(city ? { city } : {}) },
        openid,
      ),
    travel: async (iso: string, openid?: string): Promise<Record<string, unknown>> => {
      void openid;
      await h().at(iso);
      return h().ok('sandbox', 'runScheduler');
    },
    summary: (openid = 'u_alice') => h().ok<BillSummaryData>('bill', 'summary', {}, openid),
    current: async (openid = 'u_alice'): Promise<Statement> => {
      const s = (await h().ok<BillSummaryData>('bill', 'summary', {}, openid)).current;
      if (!s) throw new Error('no current statement');
      return s;
    },
    list: async (openid = 'u_alice') =>
      (await h().ok<{ statements: Statement[] }>('bill', 'list', {}, openid)).statements,
    repay: (mode: string, channel = 'balance', amount?: string, openid = 'u_alice') =>
      h().call<{ amount: string; fee: string; total: string; owedAfter: string }>(
        'bill',
        'repay',
        { requestId: rid(), mode, channel, ...(amount ? { amount } : {}) },
        openid,
      ),
  };
}
