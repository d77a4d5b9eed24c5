import { config } from '../../miniprogram/config';
import { currentOpenid } from '../../miniprogram/services/session';
import { FakeApi } from './support/fake-api';
import * as fx from './support/fixtures';
import { fire, mount, tap, text } from './support/harness';

const sandbox = () =>
  new FakeApi()
    .ok('sandbox', 'setProfile', (p) => ({ profile: { ...fx.profile, ...p } }))
    .ok('sandbox', 'clock', (req) => ({
      now:
        'advanceDays' in req
          ? '2025-02-15T10:00:00+08:00'
          : 'set' in req
            ? String(req.set)
            : '2025-02-14T10:00:00+08:00',
    }));

describe('sandbox', () => {
  beforeEach(() => wx.clearStorageSync());

  it('loads the profile and the clock', async () => {
    expect(
      text(
        await mount('sandbox', new FakeApi().pending('sandbox', 'setProfile').pending('sandbox', 'clock')),
      ),
    ).toContain('加载中');
    const api = sandbox();
    const page = await mount('sandbox', api);
    expect(api.callsTo('sandbox', 'setProfile')).toEqual([{}]);
    expect(api.callsTo('sandbox', 'clock')).toEqual([{}]);
    const t = text(page);
    expect(t).toContain('2025-02-14 10:00');
    expect(t).toContain('demo_strong');
    expect(t).toContain('薄档案用户');
    expect(page.instance.data.draft.payScore).toBe('700');
  });

  it('is empty (unavailable) in cloud mode', async () => {
    config.mode = 'cloud';
    try {
      expect(text(await mount('sandbox', sandbox()))).toContain('沙盒仅在本地模式可用');
    } finally {
      config.mode = 'local';
    }
  });

  it('shows the gateway error', async () => {
    const page = await mount(
      'sandbox',
      new FakeApi().offline('sandbox', 'setProfile').offline('sandbox', 'clock'),
    );
    expect(text(page)).toContain('请先运行 npm start');
  });

  it('switches the demo user (the X-Openid of later calls)', async () => {
    const api = sandbox();
    const page = await mount('sandbox', api);
    await tap(page, '.user-demo_thin');
    expect(currentOpenid()).toBe('demo_thin');
    expect(api.callsTo('sandbox', 'setProfile')).toHaveLength(2);
  });

  it('moves the clock, runs the scheduler and sends an invitation', async () => {
    const api = sandbox()
      .ok('sandbox', 'runScheduler', {
        from: '2025-02-14',
        to: '2025-03-01',
        days: 15,
        statementsIssued: 1,
        interestAccrued: 0,
        autoDebits: 0,
        overdueMarked: 0,
        frozen: 0,
        reevaluated: 1,
        reminders: 2,
        appealsEscalated: 1,
      })
      .ok('sandbox', 'invite', { openid: 'demo_strong', invited: true });
    const page = await mount('sandbox', api);
    await tap(page, '.step-1');
    expect(api.callsTo('sandbox', 'clock').at(-1)).toEqual({ advanceDays: 1 });
    expect(text(page)).toContain('现在是 2025-02-15 10:00');
    await fire(page, '.date-input', 'change', { value: '2025-03-01' });
    await tap(page, '.date-button');
    expect(api.callsTo('sandbox', 'clock').at(-1)).toEqual({ set: '2025-03-01T00:00:00+08:00' });
    await tap(page, '.scheduler-button');
    expect(api.callsTo('sandbox', 'runScheduler')).toEqual([{}]);
    expect(text(page)).toContain('处理了 15 天：出账 1 张');
    expect(text(page)).toContain('超时申诉转人工加急 1 件');
    await tap(page, '.invite-button');
    expect(api.callsTo('sandbox', 'invite')).toEqual([{}]);
  });

  it('saves only the changed profile fields, typed', async () => {
    const api = sandbox();
    const page = await mount('sandbox', api);
    await fire(page, '.input-payScore', 'change', { value: '580' });
    await fire(page, '.input-balance', 'change', { value: '120.5' });
    await fire(page, '.bool-realNameVerified', 'change', { value: false });
    await tap(page, '.save-button');
    expect(api.callsTo('sandbox', 'setProfile').at(-1)).toEqual({
      realNameVerified: false,
      payScore: 580,
      balance: '120.50',
    });
    expect(text(page)).toContain('已保存 3 项资料');
    await fire(page, '.input-age', 'change', { value: '十八' });
    await tap(page, '.save-button');
    expect(text(page)).toContain('年龄需为整数');
  });
});
