/**
 * Display helpers. Money arrives as two-decimal strings and is only ever re-formatted as a string here:
 * the client does no money arithmetic (the functions own it). Times arrive as ISO strings with +08:00
 * and are read field by field, so the phone's own time zone never shifts a due date.
 */
import type {
  AccountStatus,
  AllocationTarget,
  Channel,
  DimensionKey,
  MessageType,
  RejectionReason,
  RepayChannel,
  RepayMode,
  RiskEventStatus,
  RiskEventType,
  StatementStatus,
  AppealStatus,
} from '../../typings/api';

const MONEY = /^(-?)(\d+)\.(\d{2})$/;

/** "7300.00" → { sign: '', int: '7,300', dec: '00' }. Anything unexpected is shown as is. */
export function splitMoney(amount: string): { sign: string; int: string; dec: string } {
  const m = MONEY.exec(amount);
  if (!m) return { sign: '', int: amount, dec: '' };
  return { sign: m[1], int: m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ','), dec: m[3] };
}

/** "7300.00" → "7,300.00". */
export function formatMoney(amount: string): string {
  const { sign, int, dec } = splitMoney(amount);
  return dec === '' ? int : `${sign}${int}.${dec}`;
}

/** Money string → integer fen, for proportions on screen only (bar widths), never for amounts. */
export function toFen(amount: string): number {
  const m = MONEY.exec(amount);
  if (!m) return 0;
  const fen = Number(m[2]) * 100 + Number(m[3]);
  return m[1] === '-' ? -fen : fen;
}

/** Is this a money string the API accepts (> 0, at most two decimals, ≤ 10,000,000.00)? */
export function isMoneyInput(text: string): boolean {
  const t = text.trim();
  if (!/^\d{1,8}(\.\d{1,2})?$/.test(t)) return false;
  const fen = toFen(normalizeMoney(t));
  return fen > 0 && fen <= 1_000_000_000;
}

/** "12.5" → "12.50"; call isMoneyInput first. */
export function normalizeMoney(text: string): string {
  const [int, dec = ''] = text.trim().split('.');
  return `${String(Number(int))}.${(dec + '00').slice(0, 2)}`;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/;

function parts(iso: string): { y: string; mo: number; d: number; hh: string; mm: string } | null {
  const m = ISO.exec(iso);
  if (!m) return null;
  return { y: m[1], mo: Number(m[2]), d: Number(m[3]), hh: m[4], mm: m[5] };
}

/** "2025-01-10T23:59:59+08:00" → "1月10日". */
export function formatDay(iso: string | undefined | null): string {
  const p = iso ? parts(iso) : null;
  return p ? `${p.mo}月${p.d}日` : '—';
}

/** → "2025年1月10日". */
export function formatDate(iso: string | undefined | null): string {
  const p = iso ? parts(iso) : null;
  return p ? `${p.y}年${p.mo}月${p.d}日` : '—';
}

/** → "1月10日 23:59". */
export function formatDayTime(iso: string | undefined | null): string {
  const p = iso ? parts(iso) : null;
  return p ? `${p.mo}月${p.d}日 ${p.hh}:${p.mm}` : '—';
}

/** → "2025-01-10 23:59". */
export function formatDateTime(iso: string | undefined | null): string {
  const p = iso ? parts(iso) : null;
  return p ? `${p.y}-${String(p.mo).padStart(2, '0')}-${String(p.d).padStart(2, '0')} ${p.hh}:${p.mm}` : '—';
}

/** "2025-01" → "2025年1月". */
export function formatPeriod(period: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  return m ? `${m[1]}年${Number(m[2])}月` : period;
}

/** "18.00" → "18.00%". */
export function percent(value: string | undefined): string {
  return value ? `${value}%` : '—';
}

export const ACCOUNT_STATUS: Record<AccountStatus, string> = {
  active: '正常',
  frozen: '已冻结',
  under_review: '审核中',
};

export const CHANNEL_LABEL: Record<Channel, string> = {
  wallet: '钱包开通',
  invite: '邀请开通',
  checkout: '支付时开通',
};

export const STATEMENT_STATUS: Record<StatementStatus, string> = {
  open: '待还款',
  paid: '已还清',
  overdue: '已逾期',
  carried: '已结转',
};

export const REJECTION_REASON: Record<RejectionReason, string> = {
  REAL_NAME_REQUIRED: '未完成实名认证',
  UNDERAGE: '未满 18 周岁',
  BANK_CARD_REQUIRED: '未绑定银行卡',
  PAY_HISTORY_TOO_SHORT: '微信支付使用时间不足 90 天',
  PAY_SCORE_TOO_LOW: '支付分未达到 600 分',
  SCORE_TOO_LOW: '综合评分未达到 75 分',
  QUOTA_TOO_LOW: '可用额度低于 500 元',
};

export const DIMENSION_LABEL: Record<DimensionKey, string> = {
  payScore: '支付分',
  activity: '支付活跃度',
  stability: '资金稳定性',
  social: '社交关系',
  creditHistory: '信用记录',
};

export const REPAY_MODE: Record<RepayMode, string> = {
  full: '本期全额',
  minimum: '最低还款',
  custom: '自定义金额',
  payoff: '全部结清',
};

export const REPAY_CHANNEL: Record<RepayChannel, string> = {
  balance: '零钱',
  bank_card: '银行卡',
};

export const ALLOCATION_TARGET: Record<AllocationTarget, string> = {
  interest: '利息',
  billed_principal: '已出账本金',
  installment: '分期应还',
  unbilled_principal: '未出账本金',
};

export const RISK_TYPE: Record<RiskEventType, string> = {
  spend_surge: '消费金额突增',
  new_city_large_spend: '异地大额消费',
  cash_out_pattern: '疑似套现',
  overdue_30_days: '逾期超过 30 天',
};

export const RISK_LEVEL: Record<1 | 2 | 3, string> = {
  1: '一级 · 提醒',
  2: '二级 · 限制',
  3: '三级 · 冻结',
};

export const RISK_STATUS: Record<RiskEventStatus, string> = {
  open: '处理中',
  appealed: '申诉中',
  upheld: '维持原判',
  overturned: '已撤销',
  resolved: '已解除',
};

export const APPEAL_STATUS: Record<AppealStatus, string> = {
  pending: '审核中',
  upheld: '维持原判',
  overturned: '申诉成功',
  closed: '已结束',
};

export const MESSAGE_ICON: Record<MessageType, string> = {
  statement_issued: '账',
  due_soon: '期',
  due_today: '期',
  overdue: '逾',
  quota_changed: '额',
  risk_warning: '险',
  appeal_result: '诉',
  auto_debit_failed: '扣',
  repayment_received: '还',
};
