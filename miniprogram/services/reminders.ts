/**
 * 还款提醒: the statement / due / overdue reminders also go out as subscribe messages in the cloud.
 * WeChat lets us send one only after the user accepted its template in wx.requestSubscribeMessage, which
 * must be called from a tap; each accepted template is one grant, recorded by the functions
 * (inbox.subscribe). The choice is remembered on the phone; the inbox gets the reminders anyway.
 */
import type { MessageType } from '../../typings/api';
import { config } from '../config';
import { call, errorMessage } from './api';

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

/** WeChat refuses a request for more templates than this. */
const MAX_TEMPLATES = 3;

/**
 * Turn reminders on (asks for the configured templates, then tells the functions which message
 * types the user accepted: they push only what a grant covers) or off (the functions drop the
 * grants left).
 */
export function setReminders(on: boolean): Promise<ReminderResult> {
  if (!on) {
    // The grants already recorded would still be used: the functions drop them.
    return call('inbox', 'unsubscribe', {}).then(
      (): ReminderResult => {
        save(false);
        return { on: false, message: '已关闭还款提醒' };
      },
      (err: unknown): ReminderResult => ({ on: true, message: `提醒未能关闭：${errorMessage(err)}` }),
    );
  }
  const templates = Object.entries(config.subscribeTemplates).filter(
    (entry): entry is [MessageType, string] => typeof entry[1] === 'string' && entry[1] !== '',
  );
  const tmplIds = [...new Set(templates.map(([, id]) => id))].slice(0, MAX_TEMPLATES);
  if (tmplIds.length === 0) {
    save(true);
    return Promise.resolve({ on: true, message: '未配置订阅消息模板，提醒将发送到消息中心' });
  }
  return new Promise<string[] | null>((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds,
      success: (res) => {
        const answers = res as unknown as Record<string, string>;
        resolve(tmplIds.filter((id) => answers[id] === 'accept'));
      },
      fail: () => resolve(null),
    });
  }).then(async (accepted): Promise<ReminderResult> => {
    if (accepted === null) {
      save(false);
      return { on: false, message: '订阅消息授权失败，请稍后再试' };
    }
    const types = templates.filter(([, id]) => accepted.includes(id)).map(([type]) => type);
    if (types.length === 0) {
      save(false);
      return { on: false, message: '你未允许发送提醒，可在设置中重新开启' };
    }
    try {
      await call('inbox', 'subscribe', { types });
    } catch (err) {
      save(false);
      return { on: false, message: `提醒未能开启：${errorMessage(err)}` };
    }
    save(true);
    return { on: true, message: '已开启还款提醒' };
  });
}
