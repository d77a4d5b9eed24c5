/**
 * Regressions found by the seeded simulation (test/sim) and by reviews. Each names what found it.
 */
import type { BillSummaryData, SchedulerRunData } from '../../typings/api';
import { hash } from '../../cloudfunctions/src/app/idempotency';
import { userKey } from '../../cloudfunctions/src/usecases/documents';
import { createHarness, GROCERY, Harness, openAccount, rid } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness('2026-11-05T10:00:00+08:00');
  await openAccount(h);
});
afterEach(() => h.close());

describe('a payoff while the scheduler is behind (soak seed b-2, step 2642)', () => {
  // The scheduler last ran on 2026-12-18; the user pays off on 2027-01-11, before it catches up.
  // The payoff's accrued interest used to run to yesterday (10 Jan), past the statement's own
  // interest window (to 31 Dec, which the 1 Jan statement bills); issuing that statement on the
  // catch-up then found more interest prepaid than it computed, threw, and every later scheduler
  // run failed with it (a 500, and no account after this one got its day work). The payoff's
  // interest is capped at the statement window since, and a user's action now catches its account
  // up first, so the payoff settles the 1 Jan statement the scheduler had not issued yet.
  it('the account is caught up first: the 1 Jan statement is issued, the payoff settles all, the scheduler has nothing left', async () => {
    await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: GROCERY });
    await h.at('2026-12-18T09:00:00+08:00');
    await h.ok('sandbox', 'runScheduler');
    const dec = (await h.ok<BillSummaryData>('bill', 'summary')).current!;
    expect(dec).toMatchObject({ period: '2026-11', status: 'overdue', remaining: '1000.00' });

    await h.at('2027-01-11T09:00:00+08:00'); // no scheduler run since 18 Dec
    const before = await h.ok<BillSummaryData>('bill', 'summary');
    // The 1 Jan statement carries 1000.00 and 10.50 of interest (0.05% × 21 days, 11–31 Dec); 5.00
    // more has accrued since (1–10 Jan, complete days).
    expect(before.current).toMatchObject({ period: '2026-12' });
    expect(before.totalOwed).toBe('1015.50');
    const paid = await h.ok<{ amount: string; owedAfter: string }>('bill', 'repay', {
      requestId: rid(),
      mode: 'payoff',
      channel: 'balance',
    });
    expect(paid).toMatchObject({ amount: '1015.50', owedAfter: '0.00' });

    const r = await h.call<SchedulerRunData>('sandbox', 'runScheduler');
    expect(r.body).toMatchObject({ ok: true, data: { statementsIssued: 0, interestAccrued: 0 } });
    const after = await h.ok<BillSummaryData>('bill', 'summary');
    expect(after.totalOwed).toBe('0.00');
    const status = await h.ok<{ account: { used: string } }>('credit', 'status');
    expect(status.account.used).toBe('0.00');
  });
});

describe('two users whose 48-bit keys collide (review, birthday search of 2×10^7 openids)', () => {
  // Record ids embed userKey(openid). With 48 bits these two openids shared it, so the second
  // user's first purchase got the first's id (a 500), both statements the same id (the statement
  // day failed), and one overdue record could overwrite the other. The key has 128 bits since.
  const A = 'oColl18014066';
  const B = 'oColl21798802';

  it('they have distinct keys and are served side by side, on statement day too', async () => {
    expect(hash(`user:${A}`).slice(0, 12)).toBe(hash(`user:${B}`).slice(0, 12));
    expect(userKey(A)).not.toBe(userKey(B));
    await openAccount(h, A);
    await openAccount(h, B);
    const a = await h.ok<{ txnId: string }>(
      'pay',
      'spend',
      { requestId: rid(), amount: '100.00', merchant: GROCERY },
      A,
    );
    const b = await h.ok<{ txnId: string }>(
      'pay',
      'spend',
      { requestId: rid(), amount: '200.00', merchant: GROCERY },
      B,
    );
    expect(a.txnId).not.toBe(b.txnId);
    await h.at('2026-12-02T10:00:00+08:00');
    await h.ok('sandbox', 'runScheduler');
    const summary = (who: string) => h.ok<BillSummaryData>('bill', 'summary', {}, who);
    expect((await summary(A)).current).toMatchObject({ principal: '100.00' });
    expect((await summary(B)).current).toMatchObject({ principal: '200.00' });
    expect((await summary(A)).current!.id).not.toBe((await summary(B)).current!.id);
  });
});
