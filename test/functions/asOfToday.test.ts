/**
 * A user acts on the account as of today even when the scheduler has not got to it yet (its timer
 * lags, or a million accounts take hours): the action catches the account up first, exactly as
 * the scheduler would, and the scheduler then finds nothing left to do for it.
 */
import type { BillSummaryData, SchedulerRunData } from '../../typings/api';
import { runScheduler } from '../../cloudfunctions/src/usecases/scheduler';
import { CountingStore } from '../support/countingStore';
import { createHarness, GROCERY, Harness, openAccount, rid } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness('2026-11-05T10:00:00+08:00');
  await openAccount(h);
  await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: GROCERY });
});
afterEach(() => h.close());

const lastDay = async (openid = 'u_alice') =>
  (await h.store.get<{ _id: string; lastDay: string }>('accounts', openid))?.lastDay;

it('on 1 Dec at 00:05, before any scheduler run, the bill shows the new statement and a full repayment pays it', async () => {
  await h.at('2026-12-01T00:05:00+08:00');
  expect(await lastDay()).toBe('2026-11-05');
  const summary = await h.ok<BillSummaryData>('bill', 'summary');
  expect(summary.current).toMatchObject({ period: '2026-11', balance: '1000.00', minimumDue: '100.00' });
  expect(await lastDay()).toBe('2026-12-01');

  const paid = await h.ok<{ amount: string; owedAfter: string }>('bill', 'repay', {
    requestId: rid(),
    mode: 'full',
    channel: 'balance',
  });
  expect(paid).toMatchObject({ amount: '1000.00', owedAfter: '0.00' });
  // The scheduler's run later that night: the account is done, so nothing is issued twice.
  const run = await h.ok<SchedulerRunData>('sandbox', 'runScheduler');
  expect(run).toMatchObject({ statementsIssued: 0 });
  const statements = await h.store.find('statements', { openid: 'u_alice' });
  expect(statements).toHaveLength(1);
});

it('on 1 Dec at 00:05, before any scheduler run, the inbox lists the statement just issued', async () => {
  await h.at('2026-12-01T00:05:00+08:00');
  const inbox = await h.ok<{ messages: { type: string; read: boolean }[]; unread: number }>('inbox', 'list');
  expect(inbox.messages[0]).toMatchObject({ type: 'statement_issued', read: false });
  expect(await lastDay()).toBe('2026-12-01');
});

it('the inbox of a user without an account lists without catching anything up', async () => {
  await h.at('2026-12-01T00:05:00+08:00');
  const inbox = await h.ok<{ messages: unknown[]; unread: number }>('inbox', 'list', {}, 'u_nobody');
  expect(inbox).toEqual({ messages: [], unread: 0 });
});

it('on 14 Dec at 00:00:01, before the scheduler got there, the statement detail is overdue by 3 days', async () => {
  await h.at('2026-12-01T09:00:00+08:00');
  const { statements } = await h.ok<{ statements: { id: string }[] }>('bill', 'list');
  await h.at('2026-12-14T00:00:01+08:00');
  const detail = await h.ok<{ status: string; overdueDays: number }>('bill', 'detail', {
    statementId: statements[0]!.id,
  });
  expect(detail).toMatchObject({ status: 'overdue', overdueDays: 3 });
  expect(await lastDay()).toBe('2026-12-14');
});

it('on the day the account freezes, before the scheduler run, the risk page lists the freeze', async () => {
  await h.at('2026-12-20T09:00:00+08:00');
  await h.ok('sandbox', 'runScheduler');
  await h.at('2027-01-11T00:10:00+08:00');
  const { events } = await h.ok<{ events: { level: number; status: string }[] }>('risk', 'events');
  expect(events[0]).toMatchObject({ level: 3, status: 'open' });
});

it('on the day the account freezes, a spend before the scheduler run is refused ACCOUNT_FROZEN', async () => {
  await h.at('2026-12-20T09:00:00+08:00');
  await h.ok('sandbox', 'runScheduler'); // overdue since 14 Dec; the timer then stops
  await h.at('2027-01-11T00:10:00+08:00'); // 30 days past the grace period
  const refused = await h.call('pay', 'spend', { requestId: rid(), amount: '10.00', merchant: GROCERY });
  expect(refused.body).toMatchObject({ ok: false, error: { code: 'ACCOUNT_FROZEN' } });
  const status = await h.ok<{ account: { status: string } }>('credit', 'status');
  expect(status.account.status).toBe('frozen');
  // Refused before anything was recorded: no purchase, no idempotency memo of the stale attempt.
  const txns = await h.store.find<{ _id: string; amountFen: number }>('txns', { openid: 'u_alice' });
  expect(txns.map((t) => t.amountFen)).toEqual([100000]);
});

it('a retry of an earlier request is answered from its memo, without catching up', async () => {
  const params = { requestId: rid(), amount: '20.00', merchant: GROCERY };
  const first = await h.ok<{ txnId: string }>('pay', 'spend', params);
  await h.at('2026-12-03T09:00:00+08:00');
  const again = await h.ok<{ txnId: string }>('pay', 'spend', params);
  expect(again.txnId).toBe(first.txnId);
  expect(await lastDay()).toBe('2026-11-05');
});

it('an account up to date costs nothing more; one behind costs its catch-up, once', async () => {
  const counting = new CountingStore(h.store);
  h.deps.store = counting;
  const spend = () => h.ok('pay', 'spend', { requestId: rid(), amount: '1.00', merchant: GROCERY });
  const upToDate = await counting.measure(spend);
  expect(upToDate.cost).toEqual({ transactions: 1, reads: 2, finds: 0, found: 0, writes: 3 });

  await h.at('2026-11-06T09:00:00+08:00');
  const behind = await counting.measure(spend);
  // The spend's transaction (rolled back on finding the account behind), the catch-up's, and
  // the spend's again.
  expect(behind.cost.transactions).toBe(3);
  expect(await lastDay()).toBe('2026-11-06');
  const next = await counting.measure(spend);
  expect(next.cost).toEqual(upToDate.cost);
});

it('a user action and the scheduler on the same lagging account: the day is done once', async () => {
  await h.at('2026-12-01T00:05:00+08:00');
  const [summary, run] = await Promise.all([h.ok<BillSummaryData>('bill', 'summary'), runScheduler(h.deps)]);
  expect(summary.current).toMatchObject({ period: '2026-11', balance: '1000.00' });
  expect(run.done).toBe(true);
  expect(await h.store.find('statements', { openid: 'u_alice' })).toHaveLength(1);
  const messages = await h.store.find<{ _id: string; type: string }>('messages', { openid: 'u_alice' });
  expect(messages.filter((m) => m.type === 'statement_issued')).toHaveLength(1);
});
