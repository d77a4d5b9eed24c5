/**
 * Regressions found by the seeded simulation (test/sim) and by reviews. Each names what found it.
 */
import type { BillSummaryData, SchedulerRunData } from '../../typings/api';
import { ManualClock } from '../../cloudfunctions/src/adapters/clocks';
import type { Deps } from '../../cloudfunctions/src/app/context';
import { handle } from '../../cloudfunctions/src/app/dispatch';
import { hash } from '../../cloudfunctions/src/app/idempotency';
import { parseIso } from '../../cloudfunctions/src/core/time';
import { FUNCTIONS } from '../../cloudfunctions/src/handlers';
import type { Doc, Store } from '../../cloudfunctions/src/ports/store';
import type { AccountDoc, StatementDoc, TxnDoc } from '../../cloudfunctions/src/usecases/documents';
import { userKey } from '../../cloudfunctions/src/usecases/documents';
import { runScheduler } from '../../cloudfunctions/src/usecases/scheduler';
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

describe('a purchase posted or converted while the statement run reads the purchases (review 2)', () => {
  // The run looks the purchases up outside its transaction (CloudBase runs no queries inside one).
  // A spend or a conversion landing between that read and the transaction left the statement's
  // lines wrong: a billed 50.00 with no line and its purchase "unbilled" for ever, or a converted
  // purchase listed beside its own installment (lines adding up to more than the balance).

  /** The store, running `between` once right after the run's purchase lookup. */
  function between(store: Store, act: () => Promise<void>): Store {
    let done = false;
    return new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'find') {
          return async (c: string, where: Record<string, never>, options?: never) => {
            const rows = await target.find<Doc>(c, where, options);
            if (c === 'txns' && !done) {
              done = true;
              await act();
            }
            return rows;
          };
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }
  /** A request that read the clock just before midnight, as the run began. */
  const justBefore = (fn: string, params: Record<string, unknown>) => {
    const deps: Deps = { ...h.deps, clock: new ManualClock(parseIso('2026-11-30T23:59:59+08:00')!) };
    return handle(fn, FUNCTIONS[fn]!, params, 'u_alice', deps, { error: () => undefined });
  };
  const statement = async () => {
    const a = (await h.store.get<AccountDoc>('accounts', 'u_alice'))!;
    return (await h.store.get<StatementDoc>('statements', a.currentStatementId!))!;
  };

  it('a spend in between is listed on the statement that bills it, and marked billed', async () => {
    await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: GROCERY });
    await h.at('2026-12-01T00:00:02+08:00');
    let txnId = '';
    const store = between(h.store, async () => {
      const r = await justBefore('pay', {
        action: 'spend',
        requestId: rid(),
        amount: '50.00',
        merchant: GROCERY,
      });
      txnId = (r.body as { data: { txnId: string } }).data.txnId;
    });
    await runScheduler({ ...h.deps, store });
    const st = await statement();
    expect(st.newPrincipalFen).toBe(105_000);
    const purchases = st.lines.filter((l) => l.kind === 'purchase');
    expect(purchases.map((l) => l.amountFen)).toEqual([100_000, 5_000]);
    expect((await h.store.get<TxnDoc>('txns', txnId))!).toMatchObject({
      status: 'billed',
      statementId: st._id,
    });
  });

  it('a purchase converted in between is not listed as a purchase beside its installment', async () => {
    const { txnId } = await h.ok<{ txnId: string }>('pay', 'spend', {
      requestId: rid(),
      amount: '3000.00',
      merchant: GROCERY,
    });
    await h.ok('pay', 'spend', { requestId: rid(), amount: '500.00', merchant: GROCERY });
    await h.at('2026-12-01T00:00:02+08:00');
    const store = between(h.store, async () => {
      const r = await justBefore('bill', { action: 'convert', requestId: rid(), txnId, term: 3 });
      expect(r.status).toBe(200);
    });
    await runScheduler({ ...h.deps, store });
    const st = await statement();
    // 500.00 of purchases and installment 1 of 3 on 3000.00 (1030.15).
    expect(st.balanceFen).toBe(50_000 + 103_015);
    expect(st.lines.filter((l) => l.kind === 'purchase').map((l) => l.amountFen)).toEqual([50_000]);
    expect(st.lines.reduce((sum, l) => sum + l.amountFen, 0)).toBe(st.balanceFen);
  });
});
