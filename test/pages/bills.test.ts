import { FakeApi } from './support/fake-api';
import * as fx from './support/fixtures';
import { mount, tap, text } from './support/harness';

describe('bills', () => {
  it('shows loading, then the current statement with minimum, due date and grace, and the list', async () => {
    expect(
      text(await mount('bills', new FakeApi().pending('bill', 'summary').pending('bill', 'list'))),
    ).toContain('加载中');
    const page = await mount(
      'bills',
      new FakeApi().ok('bill', 'summary', fx.summary).ok('bill', 'list', fx.billList),
    );
    const t = text(page);
    expect(t).toContain('2025年2月账单');
    expect(t).toContain('1,286.50');
    expect(t).toContain('最低还款 128.65');
    expect(t).toContain('到期还款日 2月10日 23:59');
    expect(t).toContain('宽限期至 2月13日 23:59');
    expect(t).toContain('未出账消费 320.00');
    expect(t).toContain('2024年12月');
    expect(t).toContain('已还清');
  });

  it('is empty when there is no statement yet', async () => {
    const page = await mount(
      'bills',
      new FakeApi().ok('bill', 'summary', fx.summaryNothing).ok('bill', 'list', { statements: [] }),
    );
    expect(text(page)).toContain('暂无账单');
  });

  it('shows an error and the account-less state', async () => {
    const err = await mount(
      'bills',
      new FakeApi().offline('bill', 'summary').ok('bill', 'list', fx.billList),
    );
    expect(text(err)).toContain('无法连接本地服务');
    const none = await mount(
      'bills',
      new FakeApi()
        .fail('bill', 'summary', { code: 'NO_ACCOUNT', message: '你还未开通分付' })
        .fail('bill', 'list', { code: 'NO_ACCOUNT', message: '你还未开通分付' }),
    );
    expect(text(none)).toContain('尚未开通分付');
  });

  it('marks an overdue statement', async () => {
    const page = await mount(
      'bills',
      new FakeApi()
        .ok('bill', 'summary', { ...fx.summary, current: fx.overdueStatement })
        .ok('bill', 'list', { statements: [fx.overdueStatement] }),
    );
    expect(text(page)).toContain('已逾期 5 天');
  });

  it('opens a statement, the repayment and the installment offers', async () => {
    const nav = jest.spyOn(wx, 'navigateTo');
    const page = await mount(
      'bills',
      new FakeApi().ok('bill', 'summary', fx.summary).ok('bill', 'list', fx.billList),
    );
    await tap(page, '.statement-st_2024_12');
    expect(nav).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/bill-detail/index?statementId=st_2024_12' }),
    );
    await tap(page, '.repay-button');
    expect(nav).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/repay/index' }));
    await tap(page, '.installment-link');
    expect(nav).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/installment/index?statementId=st_2025_02' }),
    );
  });
});
