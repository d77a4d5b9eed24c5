import { FakeApi } from './support/fake-api';
import * as fx from './support/fixtures';
import { exists, flush, mount, tap, text } from './support/harness';

describe('bill-detail', () => {
  it('asks for the statement of the query and shows its amounts, dates and lines', async () => {
    expect(
      text(await mount('bill-detail', new FakeApi().pending('bill', 'detail'), { statementId: 'x' })),
    ).toContain('加载中');
    const api = new FakeApi().ok('bill', 'detail', fx.detail);
    const page = await mount('bill-detail', api, { statementId: 'st_2025_02' });
    expect(api.callsTo('bill', 'detail')).toEqual([{ statementId: 'st_2025_02' }]);
    const t = text(page);
    expect(t).toContain('2025年2月账单');
    expect(t).toContain('待还款');
    expect(t).toContain('最低还款 128.65');
    expect(t).toContain('到期还款日 2月10日 23:59');
    expect(t).toContain('宽限期至 2月13日 23:59');
    expect(t).toContain('京东商城');
    expect(t).toContain('899.00');
  });

  it('says when a statement has no lines (empty)', async () => {
    const page = await mount('bill-detail', new FakeApi().ok('bill', 'detail', { ...fx.detail, lines: [] }), {
      statementId: 'st_2025_02',
    });
    expect(text(page)).toContain('本期没有交易明细');
  });

  it('shows the overdue explanation', async () => {
    const page = await mount(
      'bill-detail',
      new FakeApi().ok('bill', 'detail', { ...fx.overdueStatement, lines: [] }),
      { statementId: 'st_2025_01' },
    );
    expect(text(page)).toContain('已逾期 5 天');
    expect(text(page)).toContain('按日利率 0.05% 计息');
  });

  it('shows the refusal message', async () => {
    const page = await mount(
      'bill-detail',
      new FakeApi().fail('bill', 'detail', { code: 'NOT_FOUND', message: '账单不存在' }),
      { statementId: 'nope' },
    );
    expect(text(page)).toContain('账单不存在');
  });

  it('splits the statement; its purchases, billed now, offer no split of their own', async () => {
    const nav = jest.spyOn(wx, 'navigateTo');
    const page = await mount('bill-detail', new FakeApi().ok('bill', 'detail', fx.detail), {
      statementId: 'st_2025_02',
    });
    await tap(page, '.split-button');
    expect(nav).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/installment/index?statementId=st_2025_02' }),
    );
    expect(exists(page, '.line-0 .split-line')).toBe(false);
  });

  it('shows what a repayment changed when the user comes back to it', async () => {
    const api = new FakeApi().ok('bill', 'detail', fx.detail);
    const page = await mount('bill-detail', api, { statementId: 'st_2025_02' });
    expect(text(page)).toContain('待还款');
    api.ok('bill', 'detail', { ...fx.detail, paid: '1286.50', remaining: '0.00', status: 'paid' });
    (page.instance as { onShow?: () => void }).onShow?.();
    await flush();
    expect(api.callsTo('bill', 'detail')).toHaveLength(2);
    expect(text(page)).toContain('已还清');
  });
});
