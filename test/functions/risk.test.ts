import { ACTIVE_POLICY } from '../../cloudfunctions/src/core/policyLoader';
import type { AppealDoc, MessageDoc, RiskEventDoc } from '../../cloudfunctions/src/usecases/documents';
import { createHarness, GROCERY, Harness, openAccount, rid } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await openAccount(h);
});
afterEach(() => h.close());

async function newCityEvent(): Promise<string> {
  const r = await h.call('pay', 'spend', {
    requestId: rid(),
    amount: '2000.00',
    merchant: GROCERY,
    city: '上海',
  });
  expect(r.body).toMatchObject({ ok: false, error: { code: 'VERIFICATION_REQUIRED' } });
  const { events } = await h.ok<{ events: { id: string; level: number; type: string; status: string }[] }>(
    'risk',
    'events',
  );
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ level: 2, type: 'new_city_large_spend', status: 'open' });
  return events[0]!.id;
}

describe('risk events and appeals', () => {
  it('a new-city large spend opens a level-2 event that halves the quota; overturning the appeal restores it', async () => {
    const eventId = await newCityEvent();
    const quota = await h.ok<{ quota: string; breakdown: { riskMultiplier: string } }>('credit', 'quota');
    expect(quota).toMatchObject({ quota: '3600.00', breakdown: { riskMultiplier: '0.5' } });

    const appeal = await h.ok<{ id: string; status: string; reviewDueAt: string }>('risk', 'appeal', {
      eventId,
      reason: '本人出差在上海，消费真实',
    });
    expect(appeal).toMatchObject({ status: 'pending', reviewDueAt: '2026-11-08T10:00:00+08:00' });
    const dup = await h.call('risk', 'appeal', { eventId, reason: '再次申诉' });
    expect(dup.body).toMatchObject({ ok: false, error: { code: 'APPEAL_EXISTS' } });

    const resolved = await h.ok<{ status: string }>(
      'admin',
      'resolveAppeal',
      { appealId: appeal.id, outcome: 'overturned', note: '核实为本人消费' },
      'op_1',
    );
    expect(resolved.status).toBe('overturned');
    const after = await h.ok<{ quota: string }>('credit', 'quota');
    expect(after.quota).toBe('7300.00');
    const again = await h.call(
      'admin',
      'resolveAppeal',
      { appealId: appeal.id, outcome: 'upheld', note: 'x' },
      'op_1',
    );
    expect(again.body).toMatchObject({ ok: false, error: { code: 'APPEAL_CLOSED' } });

    const inbox = await h.ok<{ messages: { type: string }[] }>('inbox', 'list');
    expect(inbox.messages.map((m) => m.type)).toEqual(
      expect.arrayContaining(['risk_warning', 'appeal_result']),
    );
  });

  it('every risk decision and appeal records the policy version that made it', async () => {
    const eventId = await newCityEvent();
    // Three 1,000.00 payments to a personal QR code within 24 h: the cash-out pattern (level 2).
    const QR = { id: 'p_qr_7', name: '个人收款码', category: 'personal_qr', scene: 'offline' };
    for (let i = 0; i < 3; i += 1) {
      await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: QR });
    }
    await h.ok('risk', 'appeal', { eventId, reason: '本人出差在上海，消费真实' });
    const events = await h.store.find<RiskEventDoc>('riskEvents', {});
    expect(events.map((e) => e.type).sort()).toEqual(['cash_out_pattern', 'new_city_large_spend']);
    for (const e of events) expect(e.policyVersion).toBe(ACTIVE_POLICY.version);
    const [appeal] = await h.store.find<AppealDoc>('appeals', {});
    expect(appeal?.policyVersion).toBe(ACTIVE_POLICY.version);
  });

  it("another user's event and message ids are invalid input, as missing ones, and leak nothing", async () => {
    const eventId = await newCityEvent();
    await openAccount(h, 'u_bob');
    const r = await h.call('risk', 'appeal', { eventId, reason: '不是我的事件' }, 'u_bob');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { field: 'eventId' } },
    });
    expect(JSON.stringify(r.body)).not.toContain('u_alice');
    const { messages } = await h.ok<{ messages: { id: string }[] }>('inbox', 'list');
    const read = await h.call('inbox', 'read', { messageId: messages[0]!.id }, 'u_bob');
    expect(read.body).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { field: 'messageId' } },
    });
    expect((await h.ok<{ events: unknown[] }>('risk', 'events', {}, 'u_bob')).events).toHaveLength(0);
  });

  it('an appeal reason is up to 500 characters as people count them: 500 emoji pass, 501 do not', async () => {
    const eventId = await newCityEvent();
    const tooLong = await h.call('risk', 'appeal', { eventId, reason: '出'.repeat(501) });
    expect(tooLong.body).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { field: 'reason' } },
    });
    const emoji = await h.call('risk', 'appeal', { eventId, reason: '🙏'.repeat(500) }); // 1,000 UTF-16 units
    expect(emoji.body).toMatchObject({ ok: true, data: { status: 'pending' } });
  });

  it('only operators resolve appeals', async () => {
    const eventId = await newCityEvent();
    const appeal = await h.ok<{ id: string }>('risk', 'appeal', { eventId, reason: '本人消费' });
    const r = await h.call('admin', 'resolveAppeal', {
      appealId: appeal.id,
      outcome: 'overturned',
      note: '自己批准',
    });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('inbox.read marks a message read and the unread count drops', async () => {
    const before = await h.ok<{ messages: { id: string; read: boolean }[]; unread: number }>('inbox', 'list');
    expect(before.unread).toBeGreaterThan(0);
    await h.ok('inbox', 'read', { messageId: before.messages[0]!.id });
    const after = await h.ok<{ unread: number }>('inbox', 'list');
    expect(after.unread).toBe(before.unread - 1);
  });
});

describe('an appeal against a freeze', () => {
  it('overturned, the freeze of that delinquency stays lifted; a later delinquency freezes again', async () => {
    await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: GROCERY });
    await h.at('2027-01-11T00:30:00+08:00'); // nothing paid: overdue since 10 Dec, frozen today
    await h.ok('sandbox', 'runScheduler');
    type Events = { events: { id: string; level: number; status: string }[] };
    const frozen = await h.ok<Events>('risk', 'events');
    const freeze = frozen.events.find((e) => e.level === 3)!;
    expect(freeze.status).toBe('open');
    const appeal = await h.ok<{ id: string }>('risk', 'appeal', {
      eventId: freeze.id,
      reason: '已与银行核实扣款失败',
    });
    await h.at('2027-01-11T10:00:00+08:00');
    await h.ok(
      'admin',
      'resolveAppeal',
      { appealId: appeal.id, outcome: 'overturned', note: '系统扣款故障' },
      'op_1',
    );
    const status = () => h.ok<{ account: { status: string } }>('credit', 'status');
    expect((await status()).account.status).toBe('active');

    // The next nights: still overdue (nothing was paid), but the same delinquency is not frozen again.
    await h.at('2027-01-13T00:30:00+08:00');
    await h.ok('sandbox', 'runScheduler');
    expect((await status()).account.status).toBe('active');
    expect((await h.ok<Events>('risk', 'events')).events.filter((e) => e.level === 3)).toHaveLength(1);

    // Paid off; a new purchase left unpaid is a new delinquency, frozen after 30 days as any.
    const paid = await h.call('bill', 'repay', { requestId: rid(), mode: 'payoff', channel: 'balance' });
    expect(paid.body).toMatchObject({ ok: true });
    await h.ok('pay', 'spend', { requestId: rid(), amount: '500.00', merchant: GROCERY });
    await h.at('2027-03-14T00:30:00+08:00'); // the 1 Feb statement, due 10 Feb, unpaid: 31 days on
    await h.ok('sandbox', 'runScheduler');
    expect((await status()).account.status).toBe('frozen');
  });
});

describe('an appeal against a freeze, decided after the 1st carried its statement on (reviews 1 and 2)', () => {
  type Events = { events: { id: string; level: number; status: string }[] };
  const status = async () => (await h.ok<{ account: { status: string } }>('credit', 'status')).account.status;
  const run = async (iso: string) => {
    await h.at(iso);
    await h.ok('sandbox', 'runScheduler');
  };

  it('overturned on 2 Feb, the freeze stays lifted the next nights (it came back: the carried statement had dropped when the delinquency began)', async () => {
    await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: GROCERY });
    await run('2027-01-30T10:00:00+08:00'); // overdue since 10 Dec, frozen 11 Jan
    expect(await status()).toBe('frozen');
    const freeze = (await h.ok<Events>('risk', 'events')).events.find((e) => e.level === 3)!;
    const appeal = await h.ok<{ id: string }>('risk', 'appeal', { eventId: freeze.id, reason: '扣款失败' });
    await run('2027-02-02T09:00:00+08:00'); // the 1 Feb statement carried January's on
    await h.ok(
      'admin',
      'resolveAppeal',
      { appealId: appeal.id, outcome: 'overturned', note: '系统故障' },
      'op_1',
    );
    expect(await status()).toBe('active');

    await run('2027-02-03T09:00:00+08:00');
    expect(await status()).toBe('active');
    await run('2027-02-20T09:00:00+08:00');
    expect(await status()).toBe('active');
    expect((await h.ok<Events>('risk', 'events')).events.filter((e) => e.level === 3)).toHaveLength(1);
  });

  it('an event recorded before events kept when the delinquency began: the overturn still holds', async () => {
    await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: GROCERY });
    await run('2027-01-30T10:00:00+08:00');
    const freeze = (await h.ok<Events>('risk', 'events')).events.find((e) => e.level === 3)!;
    await h.store.transaction(async (tx) => {
      const doc = (await tx.get<RiskEventDoc>('riskEvents', freeze.id))!;
      const { overdueSince, ...older } = doc.details;
      expect(typeof overdueSince).toBe('number');
      await tx.patch('riskEvents', freeze.id, { details: older });
    });
    const appeal = await h.ok<{ id: string }>('risk', 'appeal', { eventId: freeze.id, reason: '扣款失败' });
    await run('2027-02-02T09:00:00+08:00');
    await h.ok(
      'admin',
      'resolveAppeal',
      { appealId: appeal.id, outcome: 'overturned', note: '系统故障' },
      'op_1',
    );
    await run('2027-02-03T09:00:00+08:00');
    expect(await status()).toBe('active');
  });

  it('still pending when the user repays, it is closed with the freeze: nothing is left to decide (review 3)', async () => {
    await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: GROCERY });
    await run('2027-01-11T00:30:00+08:00');
    const freeze = (await h.ok<Events>('risk', 'events')).events.find((e) => e.level === 3)!;
    const appeal = await h.ok<{ id: string }>('risk', 'appeal', { eventId: freeze.id, reason: '申诉' });
    const paid = await h.call('bill', 'repay', { requestId: rid(), mode: 'payoff', channel: 'balance' });
    expect(paid.body).toMatchObject({ ok: true });
    expect(await status()).toBe('active');
    expect((await h.store.get<RiskEventDoc>('riskEvents', freeze.id))!.status).toBe('resolved');
    const { appeals } = await h.ok<{ appeals: { id: string; status: string; note?: string }[] }>(
      'risk',
      'appeals',
    );
    expect(appeals).toEqual([
      expect.objectContaining({ id: appeal.id, status: 'closed', note: '该次冻结已随还清逾期欠款解除' }),
    ]);
    const told = (await h.ok<{ messages: { type: string; title: string }[] }>('inbox', 'list')).messages;
    expect(told.filter((m) => m.type === 'appeal_result').map((m) => m.title)).toEqual(['申诉已结束']);

    // No deadline to keep, nothing for an operator to decide.
    await h.at('2027-01-15T10:00:00+08:00');
    expect((await h.ok<{ appealsEscalated: number }>('sandbox', 'runScheduler')).appealsEscalated).toBe(0);
    const decided = await h.call(
      'admin',
      'resolveAppeal',
      { appealId: appeal.id, outcome: 'upheld', note: '逾期属实' },
      'op_1',
    );
    expect(decided.body).toMatchObject({ ok: false, error: { code: 'APPEAL_CLOSED' } });
    expect((await h.store.get<RiskEventDoc>('riskEvents', freeze.id))!.status).toBe('resolved');
  });

  it('filed before events named their appeal: the deadline pass closes it once the freeze has ended', async () => {
    await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: GROCERY });
    await run('2027-01-11T00:30:00+08:00');
    const freeze = (await h.ok<Events>('risk', 'events')).events.find((e) => e.level === 3)!;
    const appeal = await h.ok<{ id: string }>('risk', 'appeal', { eventId: freeze.id, reason: '申诉' });
    await h.store.transaction(async (tx) => {
      const { appealId, ...older } = (await tx.get<RiskEventDoc>('riskEvents', freeze.id))!;
      expect(appealId).toBe(appeal.id);
      await tx.put('riskEvents', older);
    });
    await h.ok('bill', 'repay', { requestId: rid(), mode: 'payoff', channel: 'balance' });
    const appealStatus = async () => (await h.store.get<AppealDoc>('appeals', appeal.id))!.status;
    expect(await appealStatus()).toBe('pending');
    await h.at('2027-01-15T10:00:00+08:00'); // past its review deadline
    expect((await h.ok<{ appealsEscalated: number }>('sandbox', 'runScheduler')).appealsEscalated).toBe(0);
    expect(await appealStatus()).toBe('closed');
    const told = (await h.ok<{ messages: { title: string }[] }>('inbox', 'list')).messages;
    expect(told.map((m) => m.title)).toContain('申诉已结束');
    expect(told.map((m) => m.title)).not.toContain('申诉审核进度');
  });
});

describe('an appeal nobody reviews by its deadline', () => {
  type Events = { events: { id: string; level: number; type: string; status: string }[] };
  type Appeals = { appeals: { id: string; status: string; escalatedAt?: string }[] };

  it('is escalated once, not decided: a freeze stays until repaid, an operator still decides it', async () => {
    await h.ok('pay', 'spend', { requestId: rid(), amount: '3000.00', merchant: GROCERY });
    await h.at('2027-01-12T10:00:00+08:00'); // nothing paid: frozen since 11 Jan
    await h.ok('sandbox', 'runScheduler');
    const freeze = (await h.ok<Events>('risk', 'events')).events.find((e) => e.level === 3)!;
    const appeal = await h.ok<{ id: string }>('risk', 'appeal', { eventId: freeze.id, reason: '不想还款' });
    await h.ok('inbox', 'subscribe', { types: ['appeal_result'] }); // one push of the result

    await h.at('2027-01-16T10:00:00+08:00'); // past the 72 h review deadline
    const run = await h.ok<{ appealsEscalated: number }>('sandbox', 'runScheduler');
    expect(run.appealsEscalated).toBe(1);
    const status = () => h.ok<{ account: { status: string } }>('credit', 'status');
    expect((await status()).account.status).toBe('frozen');
    const spend = await h.call('pay', 'spend', { requestId: rid(), amount: '10.00', merchant: GROCERY });
    expect(spend.body).toMatchObject({ ok: false, error: { code: 'ACCOUNT_FROZEN' } });
    const { appeals } = await h.ok<Appeals>('risk', 'appeals');
    expect(appeals[0]).toMatchObject({ status: 'pending', escalatedAt: '2027-01-16T10:00:00+08:00' });
    const told = (await h.ok<{ messages: { title: string }[] }>('inbox', 'list')).messages;
    expect(told.filter((m) => m.title === '申诉审核进度')).toHaveLength(1);
    // The progress note is for the inbox: the grant stays for the decision.
    const pushes = async () =>
      (await h.store.find<MessageDoc>('messages', { openid: 'u_alice', type: 'appeal_result' })).map((m) => [
        m.title,
        m.push,
      ]);
    expect(await pushes()).toEqual([['申诉审核进度', 'none']]);

    // Later runs do not escalate it again or tell the user twice.
    await h.at('2027-01-18T10:00:00+08:00');
    expect((await h.ok<{ appealsEscalated: number }>('sandbox', 'runScheduler')).appealsEscalated).toBe(0);
    const again = (await h.ok<{ messages: { title: string }[] }>('inbox', 'list')).messages;
    expect(again.filter((m) => m.title === '申诉审核进度')).toHaveLength(1);

    // An operator still upholds it.
    const upheld = await h.ok<{ status: string }>(
      'admin',
      'resolveAppeal',
      { appealId: appeal.id, outcome: 'upheld', note: '逾期属实' },
      'op_1',
    );
    expect(upheld.status).toBe('upheld');
    expect((await status()).account.status).toBe('frozen');
    expect(await pushes()).toEqual(expect.arrayContaining([['申诉结果', 'pending']]));
  });

  it('leaves a cash-out flag (quota ×0.2) in place', async () => {
    const QR = { id: 'p_qr_7', name: '个人收款码', category: 'personal_qr', scene: 'offline' };
    for (let i = 0; i < 3; i += 1) {
      await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: QR });
    }
    const cashOut = (await h.ok<Events>('risk', 'events')).events.find((e) => e.type === 'cash_out_pattern')!;
    const cut = await h.ok<{ quota: string }>('credit', 'quota');
    expect(cut.quota).toBe('1400.00');
    await h.ok('risk', 'appeal', { eventId: cashOut.id, reason: '正常消费' });
    await h.at('2026-11-09T10:00:00+08:00');
    await h.ok('sandbox', 'runScheduler');
    expect((await h.ok<{ quota: string }>('credit', 'quota')).quota).toBe('1400.00');
    expect((await h.ok<Events>('risk', 'events')).events.find((e) => e.id === cashOut.id)?.status).toBe(
      'appealed',
    );
  });
});
