/**
 * The one place that says where the mini program talks to. Edit it, nothing else:
 * - mode 'local': wx.request to the local gateway (`npm start`), identity from the X-Openid header
 *   (the demo user picked on the sandbox page). In DevTools: 详情 → 本地设置 → 「不校验合法域名」.
 * - mode 'cloud': wx.cloud.callFunction in the CloudBase environment `envId`.
 */
export type Mode = 'local' | 'cloud';

export interface AppConfig {
  mode: Mode;
  /** CloudBase environment id (cloud mode). */
  envId: string;
  /** Local gateway (local mode). On a phone use the computer's LAN address instead of 127.0.0.1. */
  gatewayUrl: string;
  /** Demo user used until another is picked on the sandbox page (local mode). */
  defaultOpenid: string;
  /** Subscribe-message template ids for 还款提醒 (账单出账、到期提醒、逾期提醒), from 公众平台 → 订阅消息. */
  subscribeTemplateIds: string[];
}

export const config: AppConfig = {
  mode: 'local',
  envId: 'your-cloudbase-env-id',
  gatewayUrl: 'http://127.0.0.1:3000',
  defaultOpenid: 'demo_strong',
  subscribeTemplateIds: [],
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
