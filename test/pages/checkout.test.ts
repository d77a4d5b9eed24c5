import { FakeApi } from './support/fake-api';
import * as fx from './support/fixtures';
import { fire, mount, tap, text } from './support/harness';

const open = () => new FakeApi().ok('credit', 'status', fx.statusOpen);

describe('checkout', () => {
  it('loads the available quota and lists merchants, including ones the rules refuse', async () => {
    expect(text(await mount('checkout', new FakeApi().pending('credit', 'status')))).toContain('加载中');
    const t = text(await mount('checkout', open()));
    expect(t).toContain('分付可用额度 ¥6,013.50');
    expect(t).toContain('楼下便利店');
    expect(t).toContain('这些会被风控规则拒绝');
    expect(t).toContain('转账给好友');
  });

  it('is empty without an account and offers to open at checkout', async () => {
    const nav = jest.spyOn(wx, 'navigateTo');
    const page = await mount(
      'checkout',
      new FakeApi().ok('credit', 'status', { account: null, canApply: true }),
    );
    expect(text(page)).toContain('尚未开通分付');
    await tap(page, '.page-state >>> .state-button');
    expect(nav).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/open/index?channel=checkout' }),
    );
  });

  it('shows an error state', async () => {
    const page = await mount(
      'checkout',
      new FakeApi().fail('credit', 'status', { code: 'INTERNAL', message: '系统繁忙' }),
    );
    expect(text(page)).toContain('系统繁忙');
  });

  it('pays the chosen merchant with an idempotency key and shows the receipt', async () => {
    const api = open().ok('pay', 'spend', (req) => ({
      txnId: 'tx_1',
      amount: req.amount,
      available: '5114.50',
      warnings: ['SPEND_SURGE' as const],
    }));
    const page = await mount('checkout', api);
    await tap(page, '.merchant-m_jd');
    await tap(page, '.pay-button');
    const [req] = api.callsTo('pay', 'spend');
    expect(req).toMatchObject({
      amount: '899.00',
      merchant: { id: 'm_jd', name: '京东商城', category: 'retail', scene: 'online' },
    });
    expect(req.requestId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(req).not.toHaveProperty('city');
    const t = text(page);
    expect(t).toContain('支付成功');
    expect(t).toContain('899.00');
    expect(t).toContain('剩余可用额度 ¥5,114.50');
    expect(t).toContain('今日消费明显高于');
  });

  it('shows a refusal with its Chinese message and sends the city of an out-of-town merchant', async () => {
    const api = open().fail('pay', 'spend', {
      code: 'VERIFICATION_REQUIRED',
      message: '检测到你在常用城市以外进行大额消费，为保障资金安全，请完成身份验证后再试',
    });
    const page = await mount('checkout', api);
    await tap(page, '.merchant-m_bund_hotel');
    await tap(page, '.pay-button');
    expect(api.callsTo('pay', 'spend')[0]).toMatchObject({ amount: '2500.00', city: '上海' });
    expect(text(page)).toContain('支付未成功');
    expect(text(page)).toContain('请完成身份验证后再试');
  });

  it('sends an edited amount, and checks it first', async () => {
    const api = open().fail('pay', 'spend', {
      code: 'CASH_OUT_FORBIDDEN',
      message: '分付不支持转账、提现等套现用途',
    });
    const page = await mount('checkout', api);
    await fire(page, '.amount-input', 'change', { value: 'abc' });
    await tap(page, '.pay-button');
    expect(text(page)).toContain('请输入正确的金额');
    expect(api.callsTo('pay', 'spend')).toHaveLength(0);
    await tap(page, '.merchant-m_friend_transfer');
    await fire(page, '.amount-input', 'change', { value: '88.8' });
    await tap(page, '.pay-button');
    expect(api.callsTo('pay', 'spend')[0]).toMatchObject({
      amount: '88.80',
      merchant: { scene: 'transfer' },
    });
    expect(text(page)).toContain('分付不支持转账、提现等套现用途');
  });

  it('retries a payment lost on the network with the same requestId', async () => {
    const api = open().offline('pay', 'spend');
    const page = await mount('checkout', api);
    await tap(page, '.pay-button');
    await tap(page, '.pay-button');
    const calls = api.callsTo('pay', 'spend');
    expect(calls).toHaveLength(2);
    expect(calls[1].requestId).toBe(calls[0].requestId);
  });
});
