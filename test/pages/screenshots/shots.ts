/**
 * The page states `npm run screenshots` shows: each renders a page with miniprogram-simulate (real WXML,
 * WXSS and TDesign) against fixture answers, optionally drives it, and is photographed by Chromium.
 */
import { FakeApi } from '../support/fake-api';
import * as fx from '../support/fixtures';
import { fire, tap, type Page } from '../support/harness';

export interface Shot {
  /** File name (docs/screenshots/<name>.png). */
  name: string;
  page: string;
  caption: string;
  api: () => FakeApi;
  query?: Record<string, string>;
  act?: (page: Page) => Promise<void>;
}

const signedIn = () =>
  new FakeApi()
    .ok('credit', 'status', fx.statusOpen)
    .ok('bill', 'summary', fx.summary)
    .ok('inbox', 'list', fx.inbox);

export const SHOTS: Shot[] = [
  {
    name: 'home',
    page: 'home',
    caption: '首页：可用额度、本期账单与到期日、快捷入口、还款提醒',
    api: signedIn,
  },
  {
    name: 'home-not-open',
    page: 'home',
    caption: '未开通：产品介绍与开通入口（已收到邀请）',
    api: () => new FakeApi().ok('credit', 'status', fx.statusNone),
  },
  {
    name: 'home-overdue',
    page: 'home',
    caption: '逾期：金额标红、逾期天数',
    api: () =>
      signedIn().ok('bill', 'summary', { ...fx.summary, current: fx.overdueStatement, totalOwed: '3220.00' }),
  },
  {
    name: 'home-loading',
    page: 'home',
    caption: '加载中',
    api: () => new FakeApi().pending('credit', 'status'),
  },
  {
    name: 'home-error',
    page: 'home',
    caption: '网络错误：中文原因与重试',
    api: () => new FakeApi().offline('credit', 'status'),
  },
  {
    name: 'open-form',
    page: 'open',
    caption: '开通：选择渠道，填写该渠道需要的资料，同意协议',
    api: () => new FakeApi().ok('credit', 'status', { account: null, canApply: true, invited: true }),
    query: { channel: 'wallet' },
    act: async (p) => {
      await tap(p, '.occupation-0');
      await fire(p, '.income-input', 'change', { value: '180000' });
      await fire(p, '.agree-checkbox', 'change', { checked: true });
    },
  },
  {
    name: 'open-approved',
    page: 'open',
    caption: '开通成功：额度与每个评分维度',
    api: () =>
      new FakeApi()
        .ok('credit', 'status', { account: null, canApply: true, invited: true })
        .ok('credit', 'apply', fx.approved),
    act: async (p) => {
      await fire(p, '.agree-checkbox', 'change', { checked: true });
      await tap(p, '.submit-button');
    },
  },
  {
    name: 'open-rejected',
    page: 'open',
    caption: '未通过（demo_thin）：原因、未达标维度与建议、可重新申请的日期',
    api: () =>
      new FakeApi()
        .ok('credit', 'status', { account: null, canApply: true })
        .ok('credit', 'apply', fx.rejected),
    query: { channel: 'checkout' },
    act: async (p) => {
      await fire(p, '.income-input', 'change', { value: '60000' });
      await fire(p, '.agree-checkbox', 'change', { checked: true });
      await tap(p, '.submit-button');
    },
  },
  {
    name: 'open-underage',
    page: 'open',
    caption: '未通过（demo_minor）：硬性条件未满足',
    api: () =>
      new FakeApi()
        .ok('credit', 'status', { account: null, canApply: true, invited: true })
        .ok('credit', 'apply', fx.rejectedMinor),
    act: async (p) => {
      await fire(p, '.agree-checkbox', 'change', { checked: true });
      await tap(p, '.submit-button');
    },
  },
  {
    name: 'quota',
    page: 'quota',
    caption: '额度：构成、风险系数、上下次评估、提额建议',
    api: () => new FakeApi().ok('credit', 'quota', fx.quota),
  },
  {
    name: 'quota-rate-limited',
    page: 'quota',
    caption: '重新评估被限频：中文提示',
    api: () =>
      new FakeApi().ok('credit', 'quota', fx.quota).fail('credit', 'reevaluate', {
        code: 'RATE_LIMITED',
        message: '72 小时内只能申请一次额度评估，请于 2月15日 10:00 后再试',
      }),
    act: (p) => tap(p, '.reevaluate-button'),
  },
  {
    name: 'checkout',
    page: 'checkout',
    caption: '模拟收银台：示例商户，含会被拒绝的商户',
    api: () => new FakeApi().ok('credit', 'status', fx.statusOpen),
  },
  {
    name: 'checkout-paid',
    page: 'checkout',
    caption: '支付成功与消费突增提醒',
    api: () =>
      new FakeApi().ok('credit', 'status', fx.statusOpen).ok('pay', 'spend', {
        txnId: 'tx_1',
        amount: '899.00',
        available: '5114.50',
        warnings: ['SPEND_SURGE'],
      }),
    act: async (p) => {
      await tap(p, '.merchant-m_jd');
      await tap(p, '.pay-button');
    },
  },
  {
    name: 'checkout-refused',
    page: 'checkout',
    caption: '拒绝：异地大额消费需身份验证（信封中的中文原因）',
    api: () =>
      new FakeApi().ok('credit', 'status', fx.statusOpen).fail('pay', 'spend', {
        code: 'VERIFICATION_REQUIRED',
        message: '检测到你在常用城市以外进行大额消费，为保障资金安全，请完成身份验证后再试',
      }),
    act: async (p) => {
      await tap(p, '.merchant-m_bund_hotel');
      await tap(p, '.pay-button');
    },
  },
  {
    name: 'bills',
    page: 'bills',
    caption: '账单：本期应还、最低还款、到期日与宽限期、历史账单',
    api: () => new FakeApi().ok('bill', 'summary', fx.summary).ok('bill', 'list', fx.billList),
  },
  {
    name: 'bills-empty',
    page: 'bills',
    caption: '还没有账单',
    api: () => new FakeApi().ok('bill', 'summary', fx.summaryNothing).ok('bill', 'list', { statements: [] }),
  },
  {
    name: 'bill-detail',
    page: 'bill-detail',
    caption: '账单详情：构成、日期、明细（可单笔分期）',
    api: () => new FakeApi().ok('bill', 'detail', fx.detail),
    query: { statementId: 'st_2025_02' },
  },
  {
    name: 'bill-detail-overdue',
    page: 'bill-detail',
    caption: '逾期账单：逾期天数与计息说明',
    api: () =>
      new FakeApi().ok('bill', 'detail', {
        ...fx.overdueStatement,
        interest: '7.25',
        balance: '3007.25',
        lines: [
          {
            kind: 'purchase',
            description: '宜家家居',
            amount: '3000.00',
            at: '2024-12-20T15:00:00+08:00',
            txnId: 'tx_ikea',
          },
        ],
      }),
    query: { statementId: 'st_2025_01' },
  },
  {
    name: 'repay',
    page: 'repay',
    caption: '还款：方式、渠道、确认前的报价（手续费与分配）',
    api: () =>
      new FakeApi()
        .ok('bill', 'summary', fx.summary)
        .ok('bill', 'quote', (req) => (req.channel === 'bank_card' ? fx.quoteCard : fx.quoteFull)),
    act: (p) => tap(p, '.channel-bank_card'),
  },
  {
    name: 'repay-done',
    page: 'repay',
    caption: '还款成功',
    api: () =>
      new FakeApi().ok('bill', 'summary', fx.summary).ok('bill', 'quote', fx.quoteFull).ok('bill', 'repay', {
        repaymentId: 'rp_1',
        amount: '1286.50',
        fee: '0.00',
        total: '1286.50',
        owedAfter: '320.00',
      }),
    act: (p) => tap(p, '.confirm-button'),
  },
  {
    name: 'repay-refused',
    page: 'repay',
    caption: '还款被拒：零钱不足',
    api: () =>
      new FakeApi()
        .ok('bill', 'summary', fx.summary)
        .ok('bill', 'quote', fx.quoteFull)
        .fail('bill', 'repay', {
          code: 'INSUFFICIENT_FUNDS',
          message: '零钱余额不足，请更换付款方式或减少还款金额',
        }),
    act: (p) => tap(p, '.confirm-button'),
  },
  {
    name: 'installment',
    page: 'installment',
    caption: '分期：月利率与年化利率（IRR）同样醒目，完整还款计划',
    api: () => new FakeApi().ok('bill', 'installmentOffers', { offers: fx.offers }),
    query: { statementId: 'st_2025_02' },
  },
  {
    name: 'installment-12',
    page: 'installment',
    caption: '分 12 期',
    api: () => new FakeApi().ok('bill', 'installmentOffers', { offers: fx.offers }),
    query: { statementId: 'st_2025_02' },
    act: (p) => tap(p, '.term-12'),
  },
  {
    name: 'risk',
    page: 'risk',
    caption: '风险事件与申诉表单',
    api: () =>
      new FakeApi().ok('risk', 'events', { events: fx.riskEvents }).ok('risk', 'appeals', { appeals: [] }),
    act: async (p) => {
      await tap(p, '.event-ev_city .appeal-link');
      await fire(p, '.reason-input', 'change', { value: '我在上海出差，这笔是本人的酒店住宿费用。' });
    },
  },
  {
    name: 'risk-appealed',
    page: 'risk',
    caption: '申诉已提交，72 小时内审核',
    api: () =>
      new FakeApi()
        .ok('risk', 'events', {
          events: fx.riskEvents.map((e) => (e.id === 'ev_city' ? { ...e, status: 'appealed' as const } : e)),
        })
        .ok('risk', 'appeals', { appeals: [fx.appeal] }),
  },
  {
    name: 'risk-empty',
    page: 'risk',
    caption: '没有风险事件',
    api: () => new FakeApi().ok('risk', 'events', { events: [] }).ok('risk', 'appeals', { appeals: [] }),
  },
  {
    name: 'inbox',
    page: 'inbox',
    caption: '消息：出账、到期提醒、额度变化',
    api: () => new FakeApi().ok('inbox', 'list', fx.inbox),
  },
  {
    name: 'inbox-empty',
    page: 'inbox',
    caption: '没有消息',
    api: () => new FakeApi().ok('inbox', 'list', { messages: [], unread: 0 }),
  },
  {
    name: 'sandbox',
    page: 'sandbox',
    caption: '沙盒（本地）：演示用户、时钟与调度、评分资料',
    api: () =>
      new FakeApi()
        .ok('sandbox', 'setProfile', { profile: fx.profile })
        .ok('sandbox', 'clock', { now: '2025-02-14T10:00:00+08:00' }),
  },
];

// Used by drivers of later pages.
export { fire, tap };
