/**
 * A request reads the clock before its transaction. When the scheduler's work for the next day
 * commits in between (the transaction waited, or CloudBase re-ran it after a write conflict with
 * the scheduler), the request must not act on the new day's state at the old day's time: it runs
 * again with the clock read afresh (review 2, races across actions).
 */
import type { Deps } from '../../cloudfunctions/src/app/context';
import { handle } from '../../cloudfunctions/src/app/dispatch';
import type { Clock } from '../../cloudfunctions/src/ports/clock';
import { parseIso } from '../../cloudfunctions/src/core/time';
import { FUNCTIONS } from '../../cloudfunctions/src/handlers';
import type {
  AccountDoc,
  CreditRecordDoc,
  StatementDoc,
  TxnDoc,
} from '../../cloudfunctions/src/usecases/documents';
import { runScheduler } from '../../cloudfunctions/src/usecases/scheduler';
import { createHarness, GROCERY, Harness, openAccount, rid } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness('2026-11-05T10:00:00+08:00');
  await openAccount(h);
  await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: GROCERY });
});
afterEach(() => h.close());

/** The request read `arrivedIso` first; every later reading is the real time (the harness clock). */
function lateClock(arrivedIso: string, readings = 1): Clock {
  let stale = readings;
  return {
    now: async () => {
      if (stale > 0) {
        stale -= 1;
        return parseIso(arrivedIso)!;
      }
      return h.clock.now();
    },
  };
}

async function late(clock: Clock, fn: string, action: string, params: Record<string, unknown>) {
  const deps: Deps = { ...h.deps, clock };
  return handle(fn, FUNCTIONS[fn]!, { action, ...params }, 'u_alice', deps, { error: () => undefined });
}

const account = async () => (await h.store.get<AccountDoc>('accounts', 'u_alice'))!;
const statement = async () =>
  (await h.store.get<StatementDoc>('statements', (await account()).currentStatementId!))!;

describe('a request whose time was read before the next day was done for its account', () => {
  it('a repayment tapped at 23:59:59 on the last day of grace that lands after the grace-end run is late, not both late and on time', async () => {
    await h.at('2026-12-14T00:00:01+08:00');
    await runScheduler(h.deps); // the grace-end run: 1000.00 statement unpaid → overdue
    const r = await late(lateClock('2026-12-13T23:59:59+08:00'), 'bill', 'repay', {
      requestId: rid(),
      mode: 'full',
      channel: 'balance',
    });
    expect(r.status).toBe(200);
    const st = await statement();
    // Stamped when it was done (14 Dec), so it stays one verdict: overdue, with its record.
    expect(st.payments.map((p) => p.at)).toEqual([parseIso('2026-12-14T00:00:01+08:00')]);
    const records = await h.store.find<CreditRecordDoc>('creditRecords', { openid: 'u_alice' });
    expect(records).toHaveLength(1);
  });

  it('a repayment sent on 30 Nov that lands after the 1 Dec statement pays that statement (was INTERNAL)', async () => {
    await h.at('2026-12-01T00:00:01+08:00');
    await runScheduler(h.deps);
    const r = await late(lateClock('2026-11-30T23:59:59+08:00'), 'bill', 'repay', {
      requestId: rid(),
      mode: 'custom',
      amount: '200.00',
      channel: 'balance',
    });
    expect(r.status).toBe(200);
    expect(await statement()).toMatchObject({ period: '2026-11', balanceFen: 100_000, paidFen: 20_000 });
  });

  it('a spend sent on 30 Nov that lands after the 1 Dec statement is a December purchase', async () => {
    await h.at('2026-12-01T00:00:01+08:00');
    await runScheduler(h.deps);
    const r = await late(lateClock('2026-11-30T23:59:59+08:00'), 'pay', 'spend', {
      requestId: rid(),
      amount: '50.00',
      merchant: GROCERY,
    });
    expect(r.status).toBe(200);
    // Not into November, whose statement is already issued (it would wait a month to be billed).
    expect((await account()).unbilled).toEqual({ '2026-12': 5000 });
  });

  it("a clock that stays behind the account (an instance lagging across midnight) acts at the start of the account's day", async () => {
    await h.at('2026-12-01T00:00:01+08:00');
    await runScheduler(h.deps);
    const r = await late(lateClock('2026-11-30T23:59:59+08:00', Infinity), 'pay', 'spend', {
      requestId: rid(),
      amount: '50.00',
      merchant: GROCERY,
    });
    expect(r.status).toBe(200);
    const { txnId } = (r.body as { data: { txnId: string } }).data;
    expect((await h.store.get<TxnDoc>('txns', txnId))!).toMatchObject({
      at: parseIso('2026-12-01T00:00:00+08:00'),
      period: '2026-12',
    });
  });

  it('a read on an instance 200 ms slow, 50 ms after the 1 Dec run, answers (review 3)', async () => {
    await h.at('2026-12-01T00:00:00.010+08:00');
    await runScheduler(h.deps);
    await h.at('2026-12-01T00:00:00.060+08:00');
    const slow: Clock = { now: async () => (await h.clock.now()) - 200 };
    const r = await late(slow, 'bill', 'summary', {});
    expect(r.body).toMatchObject({ ok: true, data: { current: { period: '2026-11' } } });
  });
});

describe('what the account recorded later than a lagging clock still counts (review 4)', () => {
  const QR = { id: 'p_qr_7', name: '个人收款码', category: 'personal_qr', scene: 'offline' };
  const slow = (lagMs: number): Clock => ({ now: async () => (await h.clock.now()) - lagMs });
  beforeEach(async () => {
    await h.at('2026-12-01T00:00:00.010+08:00');
    await runScheduler(h.deps); // the account is at 1 Dec
  });

  it('three personal_qr spends totalling 3000.00 are a cash-out pattern when the third is on an instance 1 s slow', async () => {
    for (const ms of ['200', '400']) {
      await h.at(`2026-12-01T00:00:00.${ms}+08:00`);
      await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: QR });
    }
    await h.at('2026-12-01T00:00:00.600+08:00');
    const third = await late(slow(1000), 'pay', 'spend', {
      requestId: rid(),
      amount: '1000.00',
      merchant: QR,
    });
    // Stamped at the start of the day, before the two it follows: they are in its window all the same.
    expect(third.status).toBe(200);
    expect((third.body as { data: { warnings: string[] } }).data.warnings).toContain('CASH_OUT_SUSPECTED');
  });

  it('a third re-evaluation request within 7 days puts the account under review when the second came from a slow instance', async () => {
    await h.at('2026-12-01T00:00:00.200+08:00');
    await h.ok('credit', 'reevaluate');
    await h.at('2026-12-01T00:00:00.400+08:00');
    const second = await late(slow(1000), 'credit', 'reevaluate', {});
    expect(second.body).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    await h.at('2026-12-01T00:00:00.900+08:00');
    expect((await h.call('credit', 'reevaluate')).body).toMatchObject({
      ok: false,
      error: { code: 'UNDER_REVIEW' },
    });
  });
});

describe('a lagging clock puts every action at one instant (review 4)', () => {
  it('a quota cut, restored, then cut again at that instant is told both times', async () => {
    await h.at('2026-12-05T15:00:00+08:00');
    await runScheduler(h.deps); // the account is at 5 Dec; this instance's clock says 20 Nov
    const behind: Clock = { now: async () => parseIso('2026-11-20T09:00:00+08:00')! };
    const bigSpend = () =>
      late(behind, 'pay', 'spend', { requestId: rid(), amount: '2000.00', merchant: GROCERY, city: '上海' });
    expect((await bigSpend()).body).toMatchObject({ ok: false, error: { code: 'VERIFICATION_REQUIRED' } });
    const events = (await late(behind, 'risk', 'events', {})).body as { data: { events: { id: string }[] } };
    const appeal = (
      await late(behind, 'risk', 'appeal', { eventId: events.data.events[0]!.id, reason: '本人出差' })
    ).body as { data: { id: string } };
    const resolved = await handle(
      'admin',
      FUNCTIONS.admin!,
      { action: 'resolveAppeal', appealId: appeal.data.id, outcome: 'overturned', note: '本人' },
      'op_1',
      { ...h.deps, clock: behind },
      { error: () => undefined },
    );
    expect(resolved.status).toBe(200);
    expect((await bigSpend()).body).toMatchObject({ ok: false, error: { code: 'VERIFICATION_REQUIRED' } });
    expect((await account()).quotaFen).toBe(360_000);
    const inbox = (await late(behind, 'inbox', 'list', {})).body as {
      data: { messages: { type: string; body: string }[] };
    };
    const changes = inbox.data.messages.filter((m) => m.type === 'quota_changed').map((m) => m.body);
    // 7300 → 3600, 3600 → 7300, 7300 → 3600: each change told (the two cuts shared a dedupe key).
    expect(changes.filter((b) => b.includes('调整为 3600.00'))).toHaveLength(2);
    expect(changes.filter((b) => b.includes('提升为 7300.00'))).toHaveLength(1);
  });
});
