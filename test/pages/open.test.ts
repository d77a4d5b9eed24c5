import { FakeApi } from './support/fake-api';
import * as fx from './support/fixtures';
import { fire, mount, tap, text } from './support/harness';

const notOpen = () => new FakeApi().ok('credit', 'status', { account: null, canApply: true });

describe('open', () => {
  it('loads, then shows the form of the wallet channel', async () => {
    const held = await mount('open', new FakeApi().pending('credit', 'status'));
    expect(text(held)).toContain('加载中');
    const page = await mount('open', notOpen());
    expect(text(page)).toContain('钱包开通');
    expect(text(page)).toContain('职业');
    expect(text(page)).toContain('年收入');
  });

  it('is empty when the account is already open', async () => {
    const page = await mount('open', new FakeApi().ok('credit', 'status', fx.statusOpen));
    expect(text(page)).toContain('你已开通分付');
  });

  it('shows the error of the status call', async () => {
    const page = await mount(
      'open',
      new FakeApi().fail('credit', 'status', { code: 'INTERNAL', message: '服务繁忙，请稍后再试' }),
    );
    expect(text(page)).toContain('服务繁忙，请稍后再试');
  });

  it('refuses to send without consent, then applies through the wallet channel and shows the dimensions', async () => {
    const api = notOpen().ok('credit', 'apply', fx.approved);
    const page = await mount('open', api);
    await tap(page, '.submit-button');
    expect(text(page)).toContain('请先阅读并同意');
    expect(api.callsTo('credit', 'apply')).toHaveLength(0);

    await tap(page, '.occupation-2');
    await fire(page, '.income-input', 'change', { value: '180000' });
    await fire(page, '.agree-checkbox', 'change', { checked: true });
    await tap(page, '.submit-button');
    expect(api.callsTo('credit', 'apply')).toEqual([
      { channel: 'wallet', occupation: '教师', annualIncome: '180000.00' },
    ]);
    const t = text(page);
    expect(t).toContain('开通成功');
    expect(t).toContain('7,300.00');
    expect(t).toContain('综合评分 100/100');
    expect(t).toContain('支付分');
  });

  it('checkout channel sends only the income; a rejection lists reasons and suggestions', async () => {
    const api = notOpen().ok('credit', 'apply', fx.rejected);
    const page = await mount('open', api, { channel: 'checkout' });
    await fire(page, '.income-input', 'change', { value: '60000.5' });
    await fire(page, '.agree-checkbox', 'change', { checked: true });
    await tap(page, '.submit-button');
    expect(api.callsTo('credit', 'apply')).toEqual([{ channel: 'checkout', annualIncome: '60000.50' }]);
    const t = text(page);
    expect(t).toContain('暂未通过审批');
    expect(t).toContain('支付分未达到 600 分');
    expect(t).toContain('建议：按时履约微信支付分服务');
    expect(t).toContain('2025年2月21日后可重新申请');
  });

  it('invite channel sends nothing else; a hard-gate rejection shows its reason', async () => {
    const api = new FakeApi()
      .ok('credit', 'status', { account: null, canApply: true, invited: true })
      .ok('credit', 'apply', fx.rejectedMinor);
    const page = await mount('open', api);
    await fire(page, '.agree-checkbox', 'change', { checked: true });
    await tap(page, '.submit-button');
    expect(api.callsTo('credit', 'apply')).toEqual([{ channel: 'invite' }]);
    expect(text(page)).toContain('未满 18 周岁');
  });

  it('shows the envelope message of a refused request on the form', async () => {
    const api = notOpen().fail('credit', 'apply', {
      code: 'INVALID_INPUT',
      message: '年收入格式不正确',
      details: { field: 'annualIncome' },
    });
    const page = await mount('open', api, { channel: 'checkout' });
    await fire(page, '.income-input', 'change', { value: '1000' });
    await fire(page, '.agree-checkbox', 'change', { checked: true });
    await tap(page, '.submit-button');
    expect(text(page)).toContain('年收入格式不正确');
  });

  it('validates the income before sending', async () => {
    const api = notOpen();
    const page = await mount('open', api, { channel: 'checkout' });
    await fire(page, '.income-input', 'change', { value: '12.345' });
    await fire(page, '.agree-checkbox', 'change', { checked: true });
    await tap(page, '.submit-button');
    expect(text(page)).toContain('请输入正确的年收入');
    expect(api.callsTo('credit', 'apply')).toHaveLength(0);
  });

  it('the agreement gives the installment IRR both simple and compound', async () => {
    const modal = jest.spyOn(wx, 'showModal').mockImplementation(() => undefined as never);
    const page = await mount('open', new FakeApi().ok('credit', 'status', fx.statusNone));
    await tap(page, '.agreement');
    const content = String((modal.mock.calls[0]?.[0] as { content?: string })?.content);
    expect(content).toContain('18.00%（单利），复利 19.56%');
  });
});
