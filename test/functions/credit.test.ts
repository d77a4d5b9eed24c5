import { createHarness, Harness, openAccount } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe('credit.apply', () => {
  it('approves the strong persona with quota 7300.00 and its breakdown', async () => {
    await h.setProfile('u_alice', {});
    const data = await h.ok<{ decision: string; quota: string; breakdown: Record<string, string> }>(
      'credit',
      'apply',
      {
        channel: 'checkout',
        annualIncome: '240000.00',
      },
    );
    expect(data.decision).toBe('approved');
    expect(data.quota).toBe('7300.00');
    expect(data.breakdown).toMatchObject({
      base: '7000.00',
      spend: '240.00',
      deposit: '100.00',
      raw: '7340.00',
    });
    const status = await h.ok<{ account: { status: string; available: string } }>('credit', 'status');
    expect(status.account).toMatchObject({ status: 'active', quota: '7300.00', available: '7300.00' });
  });

  it('without the WeChat Pay profile to score, PROFILE_MISSING and nothing recorded', async () => {
    const before = await h.snapshot();
    const r = await h.call('credit', 'apply', { channel: 'checkout', annualIncome: '240000.00' }, 'u_nobody');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ ok: false, error: { code: 'PROFILE_MISSING' } });
    expect(await h.snapshot()).toBe(before);
  });

  it('a second application is ALREADY_OPEN and changes nothing', async () => {
    await openAccount(h);
    const before = await h.snapshot();
    const r = await h.call('credit', 'apply', { channel: 'checkout', annualIncome: '240000.00' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ ok: false, error: { code: 'ALREADY_OPEN' } });
    expect(await h.snapshot()).toBe(before);
  });

  it('a rejection is an answer with every failed reason, and reapply waits 7 days', async () => {
    await h.setProfile('u_alice', { age: 17, bankCards: 0 });
    const data = await h.ok<{ decision: string; reasons: string[]; reapplyAt: string }>('credit', 'apply', {
      channel: 'checkout',
      annualIncome: '50000.00',
    });
    expect(data.decision).toBe('rejected');
    expect(data.reasons).toEqual(expect.arrayContaining(['UNDERAGE', 'BANK_CARD_REQUIRED']));
    expect(data.reapplyAt).toBe('2026-11-12T10:00:00+08:00');
    const again = await h.call('credit', 'apply', { channel: 'checkout', annualIncome: '50000.00' });
    expect(again.body).toMatchObject({
      ok: false,
      error: { code: 'REAPPLY_TOO_SOON', details: { reapplyAt: '2026-11-12T10:00:00+08:00' } },
    });
  });

  it('the wallet channel needs occupation and annualIncome, naming the missing field', async () => {
    await h.setProfile('u_alice', {});
    const r = await h.call('credit', 'apply', { channel: 'wallet', annualIncome: '240000.00' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { field: 'occupation' } },
    });
  });

  it('the invite channel needs a pending invitation', async () => {
    await h.setProfile('u_alice', {});
    const r = await h.call('credit', 'apply', { channel: 'invite' });
    expect(r.body).toMatchObject({ ok: false, error: { code: 'INVITATION_REQUIRED' } });
    await h.ok('admin', 'invite', { openid: 'u_alice' }, 'op_1');
    const data = await h.ok<{ decision: string }>('credit', 'apply', { channel: 'invite' });
    expect(data.decision).toBe('approved');
  });
});

describe('credit.reevaluate', () => {
  it('allows one request per 72 h, then RATE_LIMITED with retryAt, and the third in 7 days puts the account under review', async () => {
    await openAccount(h);
    await h.at('2026-11-08T10:00:00+08:00');
    await h.ok('credit', 'reevaluate');
    await h.at('2026-11-09T10:00:00+08:00');
    const limited = await h.call('credit', 'reevaluate');
    // 72 h after the allowed one is 11 Nov, but a request then would be the third within 7 days.
    expect(limited.body).toMatchObject({
      ok: false,
      error: {
        code: 'RATE_LIMITED',
        message:
          '额度评估每 72 小时可申请一次，7 天内申请满 3 次将转入人工审核，请于 2026-11-15 10:00 后再试',
        details: { retryAt: '2026-11-15T10:00:00+08:00' },
      },
    });
    await h.at('2026-11-10T10:00:00+08:00');
    const review = await h.call('credit', 'reevaluate');
    expect(review.body).toMatchObject({ ok: false, error: { code: 'UNDER_REVIEW' } });
    const status = await h.ok<{ account: { status: string } }>('credit', 'status');
    expect(status.account.status).toBe('under_review');
    const cleared = await h.ok<{ status: string }>('admin', 'clearReview', { openid: 'u_alice' }, 'op_1');
    expect(cleared.status).toBe('active');
  });

  it('clearing the review of an account not under review changes nothing: its requests still count', async () => {
    await openAccount(h);
    await h.at('2026-11-08T10:00:00+08:00');
    await h.ok('credit', 'reevaluate');
    await h.at('2026-11-09T10:00:00+08:00');
    expect((await h.call('credit', 'reevaluate')).body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    const before = await h.snapshot();
    expect(await h.ok('admin', 'clearReview', { openid: 'u_alice' }, 'op_1')).toEqual({
      openid: 'u_alice',
      status: 'active',
    });
    expect(await h.snapshot()).toBe(before);
    await h.at('2026-11-10T10:00:00+08:00');
    expect((await h.call('credit', 'reevaluate')).body).toMatchObject({ error: { code: 'UNDER_REVIEW' } });
  });
});

describe('credit.quota under review (review 7)', () => {
  it('says the account is under review: the time the limits alone give is no time to ask', async () => {
    await openAccount(h);
    type Quota = { reevaluateAvailableAt: string; underReview: boolean };
    expect((await h.ok<Quota>('credit', 'quota')).underReview).toBe(false);
    await h.at('2026-11-08T10:00:00+08:00');
    await h.ok('credit', 'reevaluate');
    await h.at('2026-11-09T10:00:00+08:00');
    expect((await h.call('credit', 'reevaluate')).body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    await h.at('2026-11-10T10:00:00+08:00');
    expect((await h.call('credit', 'reevaluate')).body).toMatchObject({ error: { code: 'UNDER_REVIEW' } });
    const view = await h.ok<Quota>('credit', 'quota');
    expect(view.underReview).toBe(true);
    await h.at(view.reevaluateAvailableAt);
    expect((await h.call('credit', 'reevaluate')).body).toMatchObject({ error: { code: 'UNDER_REVIEW' } });
    await h.ok('admin', 'clearReview', { openid: 'u_alice' }, 'op_1');
    expect((await h.ok<Quota>('credit', 'quota')).underReview).toBe(false);
  });
});

describe('credit.reevaluate, following the times it gives', () => {
  it("a request at retryAt, or at the quota view's time, is done and never puts the account under review", async () => {
    await openAccount(h);
    await h.at('2026-11-08T10:00:00+08:00');
    await h.ok('credit', 'reevaluate');
    type Quota = { reevaluateAvailableAt: string };
    expect((await h.ok<Quota>('credit', 'quota')).reevaluateAvailableAt).toBe('2026-11-11T10:00:00+08:00');
    await h.at('2026-11-11T10:00:00+08:00');
    await h.ok('credit', 'reevaluate'); // the second within 7 days: done
    // The next at 14 Nov would be the third within 7 days of 8 Nov: the view says 15 Nov.
    expect((await h.ok<Quota>('credit', 'quota')).reevaluateAvailableAt).toBe('2026-11-15T10:00:00+08:00');
    await h.at('2026-11-15T10:00:00+08:00');
    await h.ok('credit', 'reevaluate');
    const status = await h.ok<{ account: { status: string } }>('credit', 'status');
    expect(status.account.status).toBe('active');
  });
});

describe('scheduled re-evaluation', () => {
  it('an account stored before the alignment (evaluatedAt + 72 h) shows when it is re-scored too', async () => {
    await openAccount(h); // 5 November, 10:00
    await h.store.transaction((tx) =>
      tx.patch('accounts', 'u_alice', { nextEvaluationAt: Date.parse('2026-11-08T10:00:00+08:00') }),
    );
    const status = await h.ok<{ account: { nextEvaluationAt: string } }>('credit', 'status');
    const quota = await h.ok<{ nextEvaluationAt: string }>('credit', 'quota');
    expect(status.account.nextEvaluationAt).toBe('2026-11-09T00:00:00+08:00');
    expect(quota.nextEvaluationAt).toBe('2026-11-09T00:00:00+08:00');
  });

  it('shows when the scheduler will re-score, and it re-scores then: the first midnight 72 h on', async () => {
    await openAccount(h); // 5 November, 10:00
    type Quota = { evaluatedAt: string; nextEvaluationAt: string };
    const opened = await h.ok<Quota>('credit', 'quota');
    expect(opened).toMatchObject({
      evaluatedAt: '2026-11-05T10:00:00+08:00',
      nextEvaluationAt: '2026-11-09T00:00:00+08:00',
    });
    // 72 h on, the shown time is still ahead, and nothing has been re-scored.
    await h.at('2026-11-08T23:59:59+08:00');
    expect(await h.ok<Quota>('credit', 'quota')).toEqual(expect.objectContaining(opened));
    await h.at('2026-11-09T00:00:01+08:00');
    expect(await h.ok<Quota>('credit', 'quota')).toMatchObject({
      evaluatedAt: '2026-11-09T00:00:00+08:00',
      nextEvaluationAt: '2026-11-12T00:00:00+08:00',
    });
  });
});
