/**
 * Realistic answers of the cloud functions for the demo personas, typed by typings/api.ts so they cannot
 * drift from the contract. Used by the page tests and by `npm run screenshots`.
 */
import type {
  AccountView,
  Appeal,
  BillListData,
  BillSummaryData,
  CreditApplyData,
  CreditQuotaData,
  CreditStatusData,
  InboxListData,
  InstallmentOffer,
  Profile,
  QuoteData,
  RiskEvent,
  Statement,
  StatementDetail,
} from '../../../typings/api';

export const account: AccountView = {
  status: 'active',
  quota: '7300.00',
  used: '1286.50',
  available: '6013.50',
  channel: 'wallet',
  openedAt: '2025-01-05T10:12:00+08:00',
  nextEvaluationAt: '2025-02-20T03:00:00+08:00',
};

export const statusOpen: CreditStatusData = { account, canApply: false };
export const statusNone: CreditStatusData = { account: null, canApply: true, invited: true };
export const statusRejected: CreditStatusData = {
  account: null,
  canApply: false,
  reapplyAt: '2025-02-24T10:00:00+08:00',
};

export const statement: Statement = {
  id: 'st_2025_02',
  period: '2025-02',
  statementDate: '2025-02-01T00:00:00+08:00',
  dueDate: '2025-02-10T23:59:59+08:00',
  graceEndsAt: '2025-02-13T23:59:59+08:00',
  balance: '1286.50',
  principal: '1286.50',
  interest: '0.00',
  installments: '0.00',
  minimumDue: '128.65',
  minimumOutstanding: '128.65',
  paid: '0.00',
  remaining: '1286.50',
  status: 'open',
  overdueDays: 0,
  carriedForward: '0.00',
  converted: '0.00',
};

export const overdueStatement: Statement = {
  ...statement,
  id: 'st_2025_01',
  period: '2025-01',
  statementDate: '2025-01-01T00:00:00+08:00',
  dueDate: '2025-01-10T23:59:59+08:00',
  graceEndsAt: '2025-01-13T23:59:59+08:00',
  balance: '3000.00',
  principal: '3000.00',
  minimumDue: '300.00',
  minimumOutstanding: '200.00',
  paid: '100.00',
  remaining: '2900.00',
  status: 'overdue',
  overdueDays: 5,
};

export const paidStatement: Statement = {
  ...statement,
  id: 'st_2024_12',
  period: '2024-12',
  statementDate: '2024-12-01T00:00:00+08:00',
  dueDate: '2024-12-10T23:59:59+08:00',
  graceEndsAt: '2024-12-13T23:59:59+08:00',
  balance: '452.00',
  principal: '452.00',
  minimumDue: '50.00',
  minimumOutstanding: '0.00',
  paid: '452.00',
  remaining: '0.00',
  status: 'paid',
};

export const summary: BillSummaryData = {
  current: statement,
  unbilled: '320.00',
  totalOwed: '1606.50',
  autoDebit: { enabled: false, channel: 'balance' },
};

export const summaryNothing: BillSummaryData = {
  current: null,
  unbilled: '0.00',
  totalOwed: '0.00',
  autoDebit: { enabled: false, channel: 'balance' },
};

export const billList: BillListData = { statements: [statement, paidStatement] };

export const detail: StatementDetail = {
  ...statement,
  lines: [
    {
      kind: 'purchase',
      description: '京东商城',
      amount: '899.00',
      at: '2025-01-18T20:31:00+08:00',
      txnId: 'tx_jd',
    },
    {
      kind: 'purchase',
      description: '国家电网 电费',
      amount: '268.00',
      at: '2025-01-12T09:02:00+08:00',
      txnId: 'tx_power',
    },
    {
      kind: 'purchase',
      description: '楼下便利店',
      amount: '36.50',
      at: '2025-01-09T08:15:00+08:00',
      txnId: 'tx_shop',
    },
    {
      kind: 'purchase',
      description: '美团外卖',
      amount: '83.00',
      at: '2025-01-03T12:20:00+08:00',
      txnId: 'tx_food',
    },
  ],
};

export const quota: CreditQuotaData = {
  quota: '7300.00',
  used: '1286.50',
  available: '6013.50',
  breakdown: {
    base: '7000.00',
    spend: '240.00',
    deposit: '100.00',
    raw: '7340.00',
    riskMultiplier: '1',
    cap: '200000.00',
  },
  evaluatedAt: '2025-02-14T03:00:00+08:00',
  nextEvaluationAt: '2025-02-17T03:00:00+08:00',
  reevaluateAvailableAt: '2025-02-15T10:00:00+08:00',
  underReview: false,
  tips: ['保持良好的还款记录，按时还款', '多使用微信支付，提升支付活跃度', '在零钱中保留一定余额'],
};

export const approved: CreditApplyData = {
  decision: 'approved',
  score: 100,
  reasons: [],
  quota: '7300.00',
  breakdown: quota.breakdown,
  dimensions: [
    { key: 'payScore', label: '支付分', value: 700, threshold: 600, weight: 35, passed: true },
    { key: 'activity', label: '支付活跃度', value: 42, threshold: 15, weight: 25, passed: true },
    {
      key: 'stability',
      label: '资金稳定性',
      value: '2000.00',
      threshold: '500.00',
      weight: 20,
      passed: true,
    },
    { key: 'social', label: '社交关系', value: 350, threshold: 200, weight: 15, passed: true },
    { key: 'creditHistory', label: '信用记录', value: 0, threshold: 0, weight: 5, passed: true },
  ],
  policyVersion: '2025.1',
};

export const rejected: CreditApplyData = {
  decision: 'rejected',
  score: 65,
  reasons: ['PAY_SCORE_TOO_LOW', 'SCORE_TOO_LOW'],
  reapplyAt: '2025-02-21T10:00:00+08:00',
  dimensions: [
    {
      key: 'payScore',
      label: '支付分',
      value: 580,
      threshold: 600,
      weight: 35,
      passed: false,
      suggestion: '按时履约微信支付分服务，支付分达到 600 分后再申请',
    },
    { key: 'activity', label: '支付活跃度', value: 22, threshold: 15, weight: 25, passed: true },
    { key: 'stability', label: '资金稳定性', value: '800.00', threshold: '500.00', weight: 20, passed: true },
    { key: 'social', label: '社交关系', value: 260, threshold: 200, weight: 15, passed: true },
    { key: 'creditHistory', label: '信用记录', value: 0, threshold: 0, weight: 5, passed: true },
  ],
  policyVersion: '2025.1',
};

export const rejectedMinor: CreditApplyData = {
  decision: 'rejected',
  score: 0,
  reasons: ['UNDERAGE', 'BANK_CARD_REQUIRED'],
  reapplyAt: '2025-02-21T10:00:00+08:00',
  dimensions: [],
  policyVersion: '2025.1',
};

export const quoteFull: QuoteData = {
  amount: '1286.50',
  fee: '0.00',
  total: '1286.50',
  allocation: [{ target: 'billed_principal', amount: '1286.50', statementId: 'st_2025_02' }],
};

export const quoteCard: QuoteData = {
  amount: '1286.50',
  fee: '1.29',
  total: '1287.79',
  allocation: [{ target: 'billed_principal', amount: '1286.50', statementId: 'st_2025_02' }],
};

function schedule(
  term: number,
  payments: string[],
  interests: string[],
  principals: string[],
  rem: string[],
) {
  return Array.from({ length: term }, (_, i) => ({
    period: i + 1,
    payment: payments[i],
    principal: principals[i],
    interest: interests[i],
    remaining: rem[i],
  }));
}

/** As `buildOffers(300000, ACTIVE_POLICY)` answers (generated from it; the page only passes them on). */
export const offers: InstallmentOffer[] = [
  {
    term: 3,
    principal: '3000.00',
    monthlyRate: '1.50',
    monthlyPayment: '1030.15',
    totalInterest: '90.44',
    aprSimple: '18.00',
    aprCompound: '19.56',
    schedule: schedule(
      3,
      ['1030.15', '1030.15', '1030.14'],
      ['45.00', '30.22', '15.22'],
      ['985.15', '999.93', '1014.92'],
      ['2014.85', '1014.92', '0.00'],
    ),
  },
  {
    term: 6,
    principal: '3000.00',
    monthlyRate: '1.50',
    monthlyPayment: '526.58',
    totalInterest: '159.45',
    aprSimple: '18.00',
    aprCompound: '19.56',
    schedule: schedule(
      6,
      ['526.58', '526.58', '526.58', '526.58', '526.58', '526.55'],
      ['45.00', '37.78', '30.44', '23.00', '15.45', '7.78'],
      ['481.58', '488.80', '496.14', '503.58', '511.13', '518.77'],
      ['2518.42', '2029.62', '1533.48', '1029.90', '518.77', '0.00'],
    ),
  },
  {
    term: 12,
    principal: '3000.00',
    monthlyRate: '1.50',
    monthlyPayment: '275.04',
    totalInterest: '300.46',
    aprSimple: '18.00',
    aprCompound: '19.56',
    schedule: schedule(
      12,
      [
        '275.04',
        '275.04',
        '275.04',
        '275.04',
        '275.04',
        '275.04',
        '275.04',
        '275.04',
        '275.04',
        '275.04',
        '275.04',
        '275.02',
      ],
      [
        '45.00',
        '41.55',
        '38.05',
        '34.49',
        '30.88',
        '27.22',
        '23.50',
        '19.73',
        '15.90',
        '12.01',
        '8.07',
        '4.06',
      ],
      [
        '230.04',
        '233.49',
        '236.99',
        '240.55',
        '244.16',
        '247.82',
        '251.54',
        '255.31',
        '259.14',
        '263.03',
        '266.97',
        '270.96',
      ],
      [
        '2769.96',
        '2536.47',
        '2299.48',
        '2058.93',
        '1814.77',
        '1566.95',
        '1315.41',
        '1060.10',
        '800.96',
        '537.93',
        '270.96',
        '0.00',
      ],
    ),
  },
];

export const riskEvents: RiskEvent[] = [
  {
    id: 'ev_city',
    level: 2,
    type: 'new_city_large_spend',
    createdAt: '2025-02-12T21:40:00+08:00',
    status: 'open',
    description: '在上海（常用城市：深圳）消费 2,500.00 元，已拦截并需身份验证',
  },
  {
    id: 'ev_surge',
    level: 1,
    type: 'spend_surge',
    createdAt: '2025-02-03T18:02:00+08:00',
    status: 'resolved',
    description: '当日消费超过近 30 日日均消费的 130%',
  },
];

export const appeal: Appeal = {
  id: 'ap_1',
  eventId: 'ev_city',
  reason: '我在上海出差，这笔消费是本人操作的酒店住宿费用。',
  status: 'pending',
  createdAt: '2025-02-12T22:00:00+08:00',
  reviewDueAt: '2025-02-15T22:00:00+08:00',
};

export const inbox: InboxListData = {
  unread: 2,
  messages: [
    {
      id: 'msg_due',
      type: 'due_soon',
      title: '还款提醒',
      body: '你的 2025年2月 分付账单 1,286.50 元将于 2月10日 到期，请按时还款。',
      createdAt: '2025-02-07T09:00:00+08:00',
      read: false,
    },
    {
      id: 'msg_stmt',
      type: 'statement_issued',
      title: '账单已出',
      body: '2025年2月 账单已出，应还 1,286.50 元，最低还款 128.65 元，到期日 2月10日。',
      createdAt: '2025-02-01T00:00:00+08:00',
      read: false,
    },
    {
      id: 'msg_quota',
      type: 'quota_changed',
      title: '额度已更新',
      body: '你的分付额度已评估为 7,300.00 元。',
      createdAt: '2025-01-05T10:12:00+08:00',
      read: true,
    },
  ],
};

export const profile: Profile = {
  realNameVerified: true,
  age: 29,
  bankCards: 2,
  payScore: 700,
  monthlyPaymentCount: 42,
  balance: '2000.00',
  friendCount: 350,
  overdueCount: 0,
  payHistoryDays: 1200,
  annualIncome: '180000.00',
  avgMonthlySpend: '3000.00',
  homeCity: '深圳',
  bankCardBalance: '15000.00',
};
