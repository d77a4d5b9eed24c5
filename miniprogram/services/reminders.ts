/**
 * 还款提醒: the statement / due / overdue reminders also go out as subscribe messages in the cloud.
 * WeChat lets us send one only after the user accepted its template in wx.requestSubscribeMessage, which
 * must be called from a tap. The choice is remembered on the phone; the inbox gets the reminders anyway.
 */
import { config } from '../config';

const KEY = 'fenfu.reminders';

export function remindersOn(): boolean {
  try {
    return wx.getStorageSync(KEY) === true;
  } catch {
    return false;
  }
}

function save(on: boolean): void {
  try {
    wx.setStorageSync(KEY, on);
  } catch {
    // not fatal: the switch just will not be remembered
  }
}

export interface ReminderResult {
  on: boolean;
  message: string;
}

/** Turn reminders on (asks for the configured templates) or off. */
export function setReminders(on: boolean): Promise<ReminderResult> {
  if (!on) {
    save(false);
    return Promise.resolve({ on: false, message: '已关闭还款提醒' });
  }
  const tmplIds = config.subscribeTemplateIds;
  if (tmplIds.length === 0) {
    save(true);
    return Promise.resolve({ on: true, message: '未配置订阅消息模板，提醒将发送到消息中心' });
  }
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds,
      success: (res) => {
        const answers = res as unknown as Record<string, string>;
        const accepted = tmplIds.filter((id) => answers[id] === 'accept');
        save(accepted.length > 0);
        resolve(
          accepted.length > 0
            ? { on: true, message: '已开启还款提醒' }
            : { on: false, message: '你未允许发送提醒，可在设置中重新开启' },
        );
      },
      fail: () => {
        save(false);
        resolve({ on: false, message: '订阅消息授权失败，请稍后再试' });
      },
    });
  });
}
