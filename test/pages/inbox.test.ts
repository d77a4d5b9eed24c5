import { FakeApi } from './support/fake-api';
import * as fx from './support/fixtures';
import { mount, tap, text } from './support/harness';

describe('inbox', () => {
  it('loads, then lists messages newest first with the unread count', async () => {
    expect(text(await mount('inbox', new FakeApi().pending('inbox', 'list')))).toContain('加载中');
    const t = text(await mount('inbox', new FakeApi().ok('inbox', 'list', fx.inbox)));
    expect(t).toContain('2 条未读');
    expect(t.indexOf('还款提醒')).toBeLessThan(t.indexOf('账单已出'));
    expect(t).toContain('1,286.50 元将于 2月10日 到期');
  });

  it('is empty without messages, and shows errors', async () => {
    expect(
      text(await mount('inbox', new FakeApi().ok('inbox', 'list', { messages: [], unread: 0 }))),
    ).toContain('暂无消息');
    expect(
      text(
        await mount('inbox', new FakeApi().fail('inbox', 'list', { code: 'INTERNAL', message: '系统繁忙' })),
      ),
    ).toContain('系统繁忙');
  });

  it('marks a message read when opened', async () => {
    const api = new FakeApi()
      .ok('inbox', 'list', fx.inbox)
      .ok('inbox', 'read', { id: 'msg_due', read: true });
    const page = await mount('inbox', api);
    await tap(page, '.message-msg_due');
    expect(api.callsTo('inbox', 'read')).toEqual([{ messageId: 'msg_due' }]);
    expect(text(page)).toContain('1 条未读');
    await tap(page, '.message-msg_quota');
    expect(api.callsTo('inbox', 'read')).toHaveLength(1);
  });
});
