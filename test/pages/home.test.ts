import { config } from '../../miniprogram/config';
import { FakeApi } from './support/fake-api';
import * as fx from './support/fixtures';
import { exists, fire, mount, tap, text } from './support/harness';

const signedIn = () =>
  new FakeApi()
    .ok('credit', 'status', fx.statusOpen)
    .ok('bill', 'summary', fx.summary)
    .ok('inbox', 'list', fx.inbox);

describe('home', () => {
  beforeEach(() => {
    wx.clearStorageSync();
    jest.restoreAllMocks();
  });

  it('shows a loading state while the status is on its way', async () => {
    const page = await mount('home', new FakeApi().pending('credit', 'status'));
    expect(text(page)).toContain('加载中');
  });

  it('shows the available quota, the current bill and its due date', async () => {
    const page = await mount('home', signedIn());
    const t = text(page);
    expect(t).toContain('可用额度');
    expect(t).toContain('6,013.50');
    expect(t).toContain('总额度 7,300.00');
    expect(t).toContain('2025年2月账单');
    expect(t).toContain('1,286.50');
    expect(t).toContain('2月10日到期');
    expect(t).toContain('最低还款 128.65');
    expect(t).toContain('2'); // unread badge
  });

  it('is empty (the way in) when no account is open, and 立即开通 goes to the open page', async () => {
    const nav = jest.spyOn(wx, 'navigateTo');
    const page = await mount('home', new FakeApi().ok('credit', 'status', fx.statusNone));
    expect(text(page)).toContain('先消费，后还款');
    expect(text(page)).toContain('开通邀请');
    await tap(page, '.open-button');
    expect(nav).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/open/index' }));
  });

  it('says when a rejected user may apply again', async () => {
    const page = await mount('home', new FakeApi().ok('credit', 'status', fx.statusRejected));
    expect(text(page)).toContain('2025年2月24日后可重新申请');
  });

  it('shows the error message and retries', async () => {
    const api = new FakeApi().offline('credit', 'status');
    const page = await mount('home', api);
    expect(text(page)).toContain('无法连接本地服务');
    api.ok('credit', 'status', fx.statusOpen).ok('bill', 'summary', fx.summary).ok('inbox', 'list', fx.inbox);
    await tap(page, '.page-state >>> .state-button');
    expect(text(page)).toContain('6,013.50');
    expect(api.callsTo('credit', 'status')).toHaveLength(2);
  });

  it('shows a frozen account as frozen', async () => {
    const api = signedIn().ok('credit', 'status', {
      ...fx.statusOpen,
      account: { ...fx.account, status: 'frozen' },
    });
    const page = await mount('home', api);
    expect(text(page)).toContain('分付已冻结');
  });

  it('an overdue bill shows what the minimum still asks, and no grace promise', async () => {
    const api = new FakeApi()
      .ok('credit', 'status', fx.statusOpen)
      .ok('bill', 'summary', { ...fx.summary, current: fx.overdueStatement, totalOwed: '3220.00' })
      .ok('inbox', 'list', fx.inbox);
    const t = text(await mount('home', api));
    expect(t).toContain('逾期 5 天');
    expect(t).toContain('最低还款 200.00'); // 300.00 less the 100.00 paid
    expect(t).not.toContain('期间还款不算逾期');
  });

  it('goes to repay and to the installment offers of the current statement', async () => {
    const nav = jest.spyOn(wx, 'navigateTo');
    const page = await mount('home', signedIn());
    await tap(page, '.repay-button');
    expect(nav).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/repay/index' }));
    await tap(page, '.installment-button');
    expect(nav).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/installment/index?statementId=st_2025_02' }),
    );
    await tap(page, '.shortcut-checkout');
    expect(nav).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/checkout/index' }));
  });

  describe('还款提醒', () => {
    const saved = config.subscribeTemplates;
    afterEach(() => {
      config.subscribeTemplates = saved;
    });
    const answer = (answers: Record<string, string>) =>
      jest
        .spyOn(wx, 'requestSubscribeMessage')
        .mockImplementation((opts: WechatMiniprogram.RequestSubscribeMessageOption) => {
          opts.success?.({ errMsg: 'requestSubscribeMessage:ok', ...answers } as never);
          return undefined as never;
        });

    it('asks for the configured templates and records the accepted ones with the functions', async () => {
      config.subscribeTemplates = {
        due_soon: 'TPL_DUE',
        due_today: 'TPL_DUE',
        statement_issued: 'TPL_STATEMENT',
      };
      const ask = answer({ TPL_DUE: 'accept', TPL_STATEMENT: 'reject' });
      const toast = jest.spyOn(wx, 'showToast');
      const api = signedIn().ok('inbox', 'subscribe', { subscribed: ['due_soon', 'due_today'] });
      const page = await mount('home', api);
      expect(exists(page, '.reminder-switch')).toBe(true);
      await fire(page, '.reminder-switch', 'change', { value: true });
      // One template shared by two types is asked for once.
      expect(ask).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['TPL_DUE', 'TPL_STATEMENT'] }));
      // Without this the functions never queue a push: they send only what a grant covers.
      expect(api.callsTo('inbox', 'subscribe')).toEqual([
        expect.objectContaining({ types: ['due_soon', 'due_today'] }),
      ]);
      expect(page.instance.data.reminders).toBe(true);
      expect(toast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '已开启还款提醒' }));
    });

    it('stays off, recording nothing, when the user refuses the templates', async () => {
      config.subscribeTemplates = { due_soon: 'TPL_DUE' };
      answer({ TPL_DUE: 'reject' });
      const api = signedIn();
      const page = await mount('home', api);
      await fire(page, '.reminder-switch', 'change', { value: true });
      expect(page.instance.data.reminders).toBe(false);
      expect(api.callsTo('inbox', 'subscribe')).toEqual([]);
    });

    it('stays off and says why when the grant cannot be recorded', async () => {
      config.subscribeTemplates = { overdue: 'TPL_OVERDUE' };
      answer({ TPL_OVERDUE: 'accept' });
      const toast = jest.spyOn(wx, 'showToast');
      const api = signedIn().offline('inbox', 'subscribe');
      const page = await mount('home', api);
      await fire(page, '.reminder-switch', 'change', { value: true });
      expect(page.instance.data.reminders).toBe(false);
      expect(toast).toHaveBeenLastCalledWith(
        expect.objectContaining({ title: expect.stringMatching(/^提醒未能开启：/) as unknown }),
      );
      // Remembered as off: the next visit does not show a switch that was never turned on.
      expect((await mount('home', signedIn())).instance.data.reminders).toBe(false);
    });

    it('turned off, the functions drop the grants left; if they cannot be told, it stays on and says so', async () => {
      wx.setStorageSync('fenfu.reminders', true);
      const toast = jest.spyOn(wx, 'showToast');
      const failing = signedIn().offline('inbox', 'unsubscribe');
      const page = await mount('home', failing);
      expect(page.instance.data.reminders).toBe(true);
      await fire(page, '.reminder-switch', 'change', { value: false });
      expect(page.instance.data.reminders).toBe(true);
      expect(toast).toHaveBeenLastCalledWith(
        expect.objectContaining({ title: expect.stringMatching(/^提醒未能关闭：/) as unknown }),
      );

      const api = signedIn().ok('inbox', 'unsubscribe', { subscribed: [] });
      const again = await mount('home', api);
      await fire(again, '.reminder-switch', 'change', { value: false });
      expect(api.callsTo('inbox', 'unsubscribe')).toHaveLength(1);
      expect(again.instance.data.reminders).toBe(false);
      expect(toast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '已关闭还款提醒' }));
      expect((await mount('home', signedIn())).instance.data.reminders).toBe(false);
    });

    it('asks for at most three templates (WeChat refuses more)', async () => {
      config.subscribeTemplates = {
        statement_issued: 'T1',
        due_soon: 'T2',
        due_today: 'T3',
        overdue: 'T4',
      };
      const ask = answer({ T1: 'accept', T2: 'accept', T3: 'accept' });
      const api = signedIn().ok('inbox', 'subscribe', {
        subscribed: ['statement_issued', 'due_soon', 'due_today'],
      });
      const page = await mount('home', api);
      await fire(page, '.reminder-switch', 'change', { value: true });
      expect(ask).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['T1', 'T2', 'T3'] }));
      expect(api.callsTo('inbox', 'subscribe')).toEqual([
        expect.objectContaining({ types: ['statement_issued', 'due_soon', 'due_today'] }),
      ]);
    });
  });
});
