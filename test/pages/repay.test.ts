import { FakeApi } from './support/fake-api';
import * as fx from './support/fixtures';
import { fire, mount, tap, text } from './support/harness';

const withQuote = () =>
  new FakeApi()
    .ok('bill', 'summary', fx.summary)
    .ok('bill', 'quote', (req) => (req.channel === 'bank_card' ? fx.quoteCard : fx.quoteFull));

describe('repay', () => {
  it('loads, then quotes the full statement from 零钱 before anything is paid', async () => {
    expect(text(await mount('repay', new FakeApi().pending('bill', 'summary')))).toContain('加载中');
    const api = withQuote();
    const page = await mount('repay', api);
    expect(api.callsTo('bill', 'quote')).toEqual([{ mode: 'full', channel: 'balance' }]);
    expect(api.callsTo('bill', 'repay')).toHaveLength(0);
    const t = text(page);
    expect(t).toContain('需支付（元） 1,286.50');
    expect(t).toContain('手续费 0.00');
    expect(t).toContain('已出账本金 1,286.50');
    expect(t).toContain('确认还款 ¥1,286.50');
  });

  it('re-quotes with the bank-card fee when the channel changes', async () => {
    const api = withQuote();
    const page = await mount('repay', api);
    await tap(page, '.channel-bank_card');
    expect(api.callsTo('bill', 'quote').at(-1)).toEqual({ mode: 'full', channel: 'bank_card' });
    expect(text(page)).toContain('手续费（0.1%） 1.29');
    expect(text(page)).toContain('1,287.79');
  });

  it('quotes a custom amount, then repays it with a requestId and shows the result', async () => {
    const api = withQuote().ok('bill', 'repay', (req) => ({
      repaymentId: 'rp_1',
      amount: req.amount ?? '0.00',
      fee: '0.00',
      total: req.amount ?? '0.00',
      owedAfter: '1406.50',
    }));
    const page = await mount('repay', api);
    await tap(page, '.mode-custom');
    await fire(page, '.amount-input', 'change', { value: '200' });
    await fire(page, '.amount-input', 'blur', { value: '200' });
    expect(api.callsTo('bill', 'quote').at(-1)).toEqual({
      mode: 'custom',
      channel: 'balance',
      amount: '200.00',
    });
    await tap(page, '.confirm-button');
    const [req] = api.callsTo('bill', 'repay');
    expect(req).toMatchObject({ mode: 'custom', channel: 'balance', amount: '200.00' });
    expect(req.requestId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(text(page)).toContain('还款成功');
    expect(text(page)).toContain('剩余待还 1,406.50');
  });

  it('shows refusals of the quote and of the repayment in Chinese', async () => {
    const api = new FakeApi()
      .ok('bill', 'summary', fx.summary)
      .fail('bill', 'quote', { code: 'OVERPAYMENT', message: '还款金额超过当前欠款 1,606.50 元' });
    const page = await mount('repay', api);
    expect(text(page)).toContain('还款金额超过当前欠款');

    const api2 = withQuote().fail('bill', 'repay', {
      code: 'INSUFFICIENT_FUNDS',
      message: '零钱余额不足，请更换付款方式',
    });
    const page2 = await mount('repay', api2);
    await tap(page2, '.confirm-button');
    expect(text(page2)).toContain('零钱余额不足，请更换付款方式');
  });

  it('is empty when nothing is owed, and shows load errors', async () => {
    expect(text(await mount('repay', new FakeApi().ok('bill', 'summary', fx.summaryNothing)))).toContain(
      '暂无待还款项',
    );
    expect(text(await mount('repay', new FakeApi().offline('bill', 'summary')))).toContain(
      '无法连接本地服务',
    );
    // Without an account there is nothing to repay either.
    const none = new FakeApi().fail('bill', 'summary', { code: 'NO_ACCOUNT', message: '你还未开通分付' });
    expect(text(await mount('repay', none))).toContain('暂无待还款项');
  });

  it('turns auto-debit on', async () => {
    const api = withQuote().ok('bill', 'autoDebit', (req) => req);
    const page = await mount('repay', api);
    await fire(page, '.auto-switch', 'change', { value: true });
    expect(api.callsTo('bill', 'autoDebit')).toEqual([{ enabled: true, channel: 'balance' }]);
    expect(page.instance.data.autoDebit.enabled).toBe(true);
  });
});
