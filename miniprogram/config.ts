/**
 * The one place that says where the mini program talks to. Edit it, nothing else:
 * - mode 'local': wx.request to the local gateway (`npm start`), identity from the X-Openid header
 *   (the demo user picked on the sandbox page). In DevTools: 详情 → 本地设置 → 「不校验合法域名」.
 * - mode 'cloud': wx.cloud.callFunction in the CloudBase environment `envId`.
 */
import type { MessageType } from '../typings/api';

export type Mode = 'local' | 'cloud';

export interface AppConfig {
  mode: Mode;
  /** CloudBase environment id (cloud mode). */
  envId: string;
  /** Local gateway (local mode). On a phone use the computer's LAN address instead of 127.0.0.1. */
  gatewayUrl: string;
  /** Demo user used until another is picked on the sandbox page (local mode). */
  defaultOpenid: string;
  /**
   * Subscribe-message templates for 还款提醒, by the message type each carries (账单出账 statement_issued,
   * 到期提醒 due_soon / due_today, 逾期提醒 overdue), from 公众平台 → 订阅消息: the same map as the
   * functions' SUBSCRIBE_TEMPLATES. WeChat asks for at most three templates at a time.
   */
  subscribeTemplates: Partial<Record<MessageType, string>>;
}

export const config: AppConfig = {
  mode: 'local',
  envId: 'your-cloudbase-env-id',
  gatewayUrl: 'http://127.0.0.1:3000',
  defaultOpenid: 'demo_strong',
  subscribeTemplates: {},
};

export interface DemoUser {
  openid: string;
  name: string;
  note: string;
}

/** Personas the local gateway seeds (see the backend's seed data). */
export const DEMO_USERS: DemoUser[] = [
  { openid: 'demo_strong', name: '优质用户', note: '支付分 700，资料完整，可开通约 7300 元额度' },
  { openid: 'demo_thin', name: '薄档案用户', note: '支付分 580，开通会被拒（支付分不足）' },
  { openid: 'demo_minor', name: '未成年用户', note: '17 岁、未绑卡，开通会被拒（未满 18 周岁）' },
];
