/**
 * Calendar edges: a scheduler that did not run for weeks must reach exactly what daily runs reach
 * (SPEC §9: "processes every day's work due up to now, day by day, in order").
 *
 * 1000.00 spent in November, nothing ever paid:
 *  - 1 Dec statement 1000.00 (min 100.00), overdue from 14 Dec (one credit record);
 *  - 1 Jan: 1000.00 carried + Dec interest 11..31 Dec = 21 × 0.50 = 10.50 → 1010.50, min 110.50;
 *  - 11 Jan 00:00: overdueDays 31 > 30 → level-3 event, frozen;
 *  - 1 Feb: + Jan interest on the carried 1000.00, 1..31 Jan = 31 × 0.50 = 15.50 → 1026.00.
 */
import type { Statement } from '../../../typings/api';
import type { RepaymentDoc } from '../../../cloudfunctions/src/usecases/documents';
import { createHarness, Harness, openAccount } from '../../support/harness';
import { helpers } from './helpers';

let h: Harness;
const x = helpers(() => h);
afterEach(() => h.close());

async function outcome() {
  const statements = (await x.list()).map((s: Statement) => ({
    period: s.period,
    balance: s.balance,
    interest: s.interest,
    minimumDue: s.minimumDue,
    status: s.status,
    overdueDays: s.overdueDays,
  }));
  const account = (await h.ok<{ account: { status: string; quota: string } }>('credit', 'status')).account;
  const events = (
    await h.ok<{ events: { level: number; type: string; createdAt: string }[] }>('risk', 'events')
  ).events;
  const records = await h.store.find('creditRecords', { openid: 'u_alice' });
  const quota = await h.ok<{ evaluatedAt: string; nextEvaluationAt: string }>('credit', 'quota');
  return { statements, account, events, records: records.length, evaluatedAt: quota.evaluatedAt };
}

describe('catch-up equals daily runs', () => {
  it('Nov → 20 Feb with nothing paid: one jump and 107 daily runs give the same, expected figures', async () => {
    h = await createHarness('2026-11-05T10:00:00+08:00');
    await openAccount(h);
    await x.spend('1000.00');
    await x.travel('2027-02-20T09:00:00+08:00');
    const jump = await outcome();
    await h.close();

    h = await createHarness('2026-11-05T10:00:00+08:00');
    await openAccount(h);
    await x.spend('1000.00');
    const start = Date.parse('2026-11-06T00:30:00+08:00');
    for (let t = start; t <= Date.parse('2027-02-20T09:00:00+08:00'); t += 86_400_000) {
      await h.clock.set(t);
      await h.ok('sandbox', 'runScheduler');
    }
    await x.travel('2027-02-20T09:00:00+08:00');
    const daily = await outcome();

    expect(jump).toEqual(daily);
    expect(jump.statements[0]).toMatchObject({
      period: '2027-01',
      balance: '1026.00',
      interest: '26.00',
      status: 'overdue',
    });
    expect(jump.statements[1]).toMatchObject({
      period: '2026-12',
      balance: '1010.50',
      interest: '10.50',
      minimumDue: '110.50',
    });
    expect(jump.account.status).toBe('frozen');
    expect(jump.events[0]).toMatchObject({
      level: 3,
      type: 'overdue_30_days',
      createdAt: '2027-01-11T00:00:00+08:00',
    });
    // Overdue since 10 Dec: 20 Feb is 72 calendar days after it → 71 whole days elapsed.
    expect(jump.statements[0].overdueDays).toBe(71);
  });

  it('auto-debit on the due date during a catch-up: paid on 10 Dec, no interest, no overdue', async () => {
    h = await createHarness('2026-11-05T10:00:00+08:00');
    await openAccount(h);
    await x.spend('1000.00');
    await h.ok('bill', 'autoDebit', { enabled: true, channel: 'bank_card' });
    await x.travel('2027-01-20T09:00:00+08:00');
    const reps = await h.store.find<RepaymentDoc>('repayments', {
      openid: 'u_alice',
    });
    expect(reps.map((r) => [r.mode, r.amountFen, new Date(r.at).toISOString()])).toEqual([
      ['auto_debit', 100000, '2026-12-09T16:00:00.000Z'], // 10 Dec 00:00 China
    ]);
    expect(await h.store.find('creditRecords', { openid: 'u_alice' })).toHaveLength(0);
    expect((await x.current()).period).toBe('2026-11');
  });

  it('an installment plan left unpaid, Nov → 20 Mar 2027 (four 31-day chunks, three statement days): jump = daily', async () => {
    const setup = async () => {
      h = await createHarness('2026-11-20T10:00:00+08:00');
      await openAccount(h);
      const r = await x.spend('3000.00');
      const txnId = r.body.ok ? r.body.data.txnId : '';
      await h.ok('bill', 'convert', { requestId: `conv-${txnId}`, txnId, term: 3 });
    };
    await setup();
    await x.travel('2027-03-20T09:00:00+08:00');
    const jump = await outcome();
    await h.close();
    await setup();
    for (
      let t = Date.parse('2026-11-21T00:30:00+08:00');
      t <= Date.parse('2027-03-20T09:00:00+08:00');
      t += 86_400_000
    ) {
      await h.clock.set(t);
      await h.ok('sandbox', 'runScheduler');
    }
    await x.travel('2027-03-20T09:00:00+08:00');
    expect(jump).toEqual(await outcome());
    // Dec: installment 1 1030.15; Jan: 985.15 carried + 45.00 + Dec interest (985.15 × 21 days × 0.05%
    // = 10.344… → 10.34) + installment 2 1030.15 = 2070.64
    expect(jump.statements.find((s) => s.period === '2026-12')).toMatchObject({ balance: '2070.64' });
  });
});
