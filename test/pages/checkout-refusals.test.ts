import { FakeApi } from './support/fake-api';
import * as fx from './support/fixtures';
import { exists, mount, tap, text } from './support/harness';

const verification = {
  code: 'VERIFICATION_REQUIRED' as const,
  message: '检测到你在常用城市以外进行大额消费，为保障资金安全，请完成身份验证后再试',
  details: { amount: '2500.00', threshold: '2000.00', city: '上海', homeCity: '深圳' },
};

async function refusedInAnotherCity() {
  const api = new FakeApi().ok('credit', 'status', fx.statusOpen).fail('pay', 'spend', verification);
  const page = await mount('checkout', api);
  page.instance.setData({ amount: '2500.00', city: '上海' });
  await tap(page, '.pay-button');
  return { api, page };
}

/** Checkout refusals that need the user to act elsewhere, and what a retry sends. */
describe('checkout: refusals', () => {
  it('VERIFICATION_REQUIRED: tapping pay again for the same purchase reuses the requestId (each new id records another level-2 risk event)', async () => {
    // usecases/spend.ts opens a level-2 event (quota × 0.5) on every such refusal; the idempotency
    // store replays a refusal for the same id so a retry does not record it twice.
    const { api, page } = await refusedInAnotherCity();
    await tap(page, '.pay-button');
    const ids = api.callsTo('pay', 'spend').map((c) => c.requestId);
    expect(ids[1]).toBe(ids[0]);
    // Another amount is another purchase: a new id.
    await page.instance.onAmount({ detail: { value: '2600.00' } } as never);
    await tap(page, '.pay-button');
    const third = api.callsTo('pay', 'spend')[2]?.requestId;
    expect(third).not.toBe(ids[0]);
  });

  it('VERIFICATION_REQUIRED offers a way forward (verify / 安全与申诉), not a dead end', async () => {
    const { page } = await refusedInAnotherCity();
    const t = text(page);
    expect(t).toContain('请完成身份验证后再试');
    expect(exists(page, '.refusal .risk-link')).toBe(true);
  });

  it('after VERIFICATION_REQUIRED the available quota shown is refreshed (the level-2 event halved it)', async () => {
    const { api, page } = await refusedInAnotherCity();
    expect(api.callsTo('credit', 'status').length).toBeGreaterThan(1);
    expect(page.instance.data.refusal).not.toBeNull();
  });

  it('ACCOUNT_FROZEN links to 还款 (the only way to lift the freeze)', async () => {
    const api = new FakeApi()
      .ok('credit', 'status', { ...fx.statusOpen, account: { ...fx.account, status: 'frozen' } })
      .fail('pay', 'spend', {
        code: 'ACCOUNT_FROZEN',
        message: '分付已冻结，暂时无法使用。还清逾期欠款后即可恢复',
      });
    const page = await mount('checkout', api);
    await tap(page, '.pay-button');
    expect(text(page)).toContain('分付已冻结');
    expect(exists(page, '.refusal .repay-link')).toBe(true);
  });
});
