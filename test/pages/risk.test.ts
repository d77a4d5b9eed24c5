import { FakeApi } from './support/fake-api';
import * as fx from './support/fixtures';
import { exists, fire, flush, mount, tap, text } from './support/harness';

describe('risk', () => {
  it('loads, then lists events with their level', async () => {
    expect(
      text(await mount('risk', new FakeApi().pending('risk', 'events').pending('risk', 'appeals'))),
    ).toContain('加载中');
    const page = await mount(
      'risk',
      new FakeApi().ok('risk', 'events', { events: fx.riskEvents }).ok('risk', 'appeals', { appeals: [] }),
    );
    const t = text(page);
    expect(t).toContain('二级 · 限制');
    expect(t).toContain('异地大额消费');
    expect(t).toContain('一级 · 提醒');
    expect(t).toContain('申诉');
  });

  it('is empty when there are no events', async () => {
    const page = await mount(
      'risk',
      new FakeApi().ok('risk', 'events', { events: [] }).ok('risk', 'appeals', { appeals: [] }),
    );
    expect(text(page)).toContain('暂无风险事件');
  });

  it('invites a user without an account to open one', async () => {
    const page = await mount(
      'risk',
      new FakeApi()
        .fail('risk', 'events', { code: 'NO_ACCOUNT', message: '你还未开通分付' })
        .ok('risk', 'appeals', { appeals: [] }),
    );
    expect(text(page)).toContain('尚未开通分付');
    expect(text(page)).toContain('去开通');
  });

  it('shows errors', async () => {
    const page = await mount(
      'risk',
      new FakeApi().offline('risk', 'events').ok('risk', 'appeals', { appeals: [] }),
    );
    expect(text(page)).toContain('无法连接本地服务');
  });

  it('appeals an event and shows the review deadline', async () => {
    let appealed = false;
    const api = new FakeApi()
      .ok('risk', 'events', () => ({
        events: fx.riskEvents.map((e) =>
          appealed && e.id === 'ev_city' ? { ...e, status: 'appealed' as const } : e,
        ),
      }))
      .ok('risk', 'appeals', () => ({ appeals: appealed ? [fx.appeal] : [] }))
      .ok('risk', 'appeal', () => {
        appealed = true;
        return fx.appeal;
      });
    const page = await mount('risk', api);
    await tap(page, '.event-ev_city .appeal-link');
    await tap(page, '.submit-button');
    expect(text(page)).toContain('请说明申诉理由');
    await fire(page, '.reason-input', 'change', { value: '  我在上海出差  ' });
    await tap(page, '.submit-button');
    expect(api.callsTo('risk', 'appeal')).toEqual([{ eventId: 'ev_city', reason: '我在上海出差' }]);
    const t = text(page);
    expect(t).toContain('申诉已提交');
    expect(t).toContain('2025-02-15 22:00');
    expect(t).toContain('我的申诉');
    expect(t).toContain('审核中');
  });

  it('says when a pending appeal is past its deadline and escalated', async () => {
    const page = await mount(
      'risk',
      new FakeApi()
        .ok('risk', 'events', { events: fx.riskEvents })
        .ok('risk', 'appeals', { appeals: [{ ...fx.appeal, escalatedAt: '2025-02-15T22:00:00+08:00' }] }),
    );
    const t = text(page);
    expect(t).toContain('审核超时，已加急转人工复核；审核完成前相关限制仍然有效');
    expect(t).not.toContain('前完成审核');
    expect(t).not.toContain('申诉将在 72 小时内由人工审核');
  });

  it('shows an appeal closed by repaying (the freeze lifted before a decision) as ended, with why', async () => {
    const page = await mount(
      'risk',
      new FakeApi().ok('risk', 'events', { events: fx.riskEvents }).ok('risk', 'appeals', {
        appeals: [
          {
            ...fx.appeal,
            status: 'closed',
            resolvedAt: '2025-02-14T09:00:00+08:00',
            note: '该次冻结已随还清逾期欠款解除',
          },
        ],
      }),
    );
    const t = text(page);
    expect(t).toContain('已结束');
    expect(t).toContain('处理意见：该次冻结已随还清逾期欠款解除');
    expect(t).not.toContain('前完成审核');
  });

  it('shows a refused appeal in Chinese', async () => {
    const api = new FakeApi()
      .ok('risk', 'events', { events: fx.riskEvents })
      .ok('risk', 'appeals', { appeals: [] })
      .fail('risk', 'appeal', { code: 'INVALID_INPUT', message: '参数 reason 不正确：不能为空' });
    const page = await mount('risk', api);
    await tap(page, '.event-ev_city .appeal-link');
    await fire(page, '.reason-input', 'change', { value: '本人消费' });
    await tap(page, '.submit-button');
    expect(text(page)).toContain('参数 reason 不正确：不能为空');
  });

  it('an appeal already made (a first attempt whose answer was lost) closes the form and shows it listed', async () => {
    const api = new FakeApi()
      .ok('risk', 'events', { events: fx.riskEvents })
      .ok('risk', 'appeals', { appeals: [] })
      .fail('risk', 'appeal', { code: 'APPEAL_EXISTS', message: '该事件已有申诉在处理中' });
    const page = await mount('risk', api);
    await tap(page, '.event-ev_city .appeal-link');
    await fire(page, '.reason-input', 'change', { value: '本人消费' });
    api.ok('risk', 'appeals', { appeals: [fx.appeal] });
    await tap(page, '.submit-button');
    await flush();
    expect(api.callsTo('risk', 'appeals')).toHaveLength(2);
    expect(exists(page, '.appeal-form')).toBe(false);
    expect(text(page)).toContain('该事件已有申诉在处理中');
    expect(text(page)).toContain('我的申诉');
  });
});
