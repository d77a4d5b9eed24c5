import { FakeApi } from './support/fake-api';
import * as fx from './support/fixtures';
import { mount, tap, text } from './support/harness';

describe('quota', () => {
  it('shows loading, then the breakdown, the evaluation times and how to raise the quota', async () => {
    expect(text(await mount('quota', new FakeApi().pending('credit', 'quota')))).toContain('加载中');
    const page = await mount('quota', new FakeApi().ok('credit', 'quota', fx.quota));
    const t = text(page);
    expect(t).toContain('7,300.00');
    expect(t).toContain('支付分 × 10');
    expect(t).toContain('7,000.00');
    expect(t).toContain('240.00');
    expect(t).toContain('100.00');
    expect(t).toContain('7,340.00');
    expect(t).toContain('× 1');
    expect(t).toContain('200,000.00');
    expect(t).toContain('2025-02-14 03:00');
    expect(t).toContain('2025-02-17 03:00');
    expect(t).toContain('多使用微信支付');
  });

  it('is empty without an account', async () => {
    const page = await mount(
      'quota',
      new FakeApi().fail('credit', 'quota', { code: 'NO_ACCOUNT', message: '你还未开通分付' }),
    );
    expect(text(page)).toContain('尚未开通分付');
  });

  it('shows errors with their message', async () => {
    const page = await mount('quota', new FakeApi().offline('credit', 'quota'));
    expect(text(page)).toContain('无法连接本地服务');
  });

  it('re-evaluates and shows the new quota', async () => {
    const api = new FakeApi().ok('credit', 'quota', fx.quota).ok('credit', 'reevaluate', {
      ...fx.quota,
      quota: '8000.00',
      available: '6713.50',
      previousQuota: '7300.00',
      changed: true,
    });
    const page = await mount('quota', api);
    await tap(page, '.reevaluate-button');
    expect(api.callsTo('credit', 'reevaluate')).toEqual([{}]);
    expect(text(page)).toContain('额度已更新');
    expect(text(page)).toContain('7,300.00 → 8,000.00 元');
  });

  it('shows the rate limit refusal in Chinese', async () => {
    const api = new FakeApi().ok('credit', 'quota', fx.quota).fail('credit', 'reevaluate', {
      code: 'RATE_LIMITED',
      message: '72 小时内只能申请一次额度评估，请于 2月15日 10:00 后再试',
      details: { retryAt: '2025-02-19T09:31:00+08:00' },
    });
    const page = await mount('quota', api);
    expect(text(page)).toContain('2025-02-15 10:00');
    await tap(page, '.reevaluate-button');
    expect(text(page)).toContain('72 小时内只能申请一次额度评估');
    // The "request again from" row follows the refusal's retryAt, not the view loaded before it.
    expect(text(page)).toContain('2025-02-19 09:31');
    expect(text(page)).not.toContain('2025-02-15 10:00');
    // Refused requests count towards the review: the button rests until then.
    expect(text(page)).toContain('请于 2025-02-19 09:31 后再申请');
    await tap(page, '.reevaluate-button');
    expect(api.callsTo('credit', 'reevaluate')).toHaveLength(1);
  });

  it('after UNDER_REVIEW promises no time to request again and sends no more', async () => {
    const api = new FakeApi().ok('credit', 'quota', fx.quota).fail('credit', 'reevaluate', {
      code: 'UNDER_REVIEW',
      message: '近期额度申请较频繁，账户已转入人工审核，审核期间可正常消费',
      details: { status: 'under_review' },
    });
    const page = await mount('quota', api);
    await tap(page, '.reevaluate-button');
    const t = text(page);
    expect(t).toContain('人工审核中，审核通过后可申请');
    expect(t).not.toContain('2025-02-15 10:00');
    await tap(page, '.reevaluate-button');
    expect(api.callsTo('credit', 'reevaluate')).toHaveLength(1);
  });

  it('an account already under review shows it on load: no time to request again, the button rests (review 7)', async () => {
    const api = new FakeApi().ok('credit', 'quota', { ...fx.quota, underReview: true });
    const page = await mount('quota', api);
    const t = text(page);
    expect(t).toContain('人工审核中，审核通过后可申请');
    expect(t).not.toContain('2025-02-15 10:00');
    await tap(page, '.reevaluate-button');
    expect(api.callsTo('credit', 'reevaluate')).toHaveLength(0);
  });

  it('explains a reduced multiplier', async () => {
    const api = new FakeApi().ok('credit', 'quota', {
      ...fx.quota,
      quota: '3600.00',
      breakdown: { ...fx.quota.breakdown, riskMultiplier: '0.5' },
    });
    expect(text(await mount('quota', api))).toContain('存在二级风险事件，额度减半');
  });
});
