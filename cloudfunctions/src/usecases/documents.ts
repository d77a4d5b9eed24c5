/**
 * Stored document shapes. Each use case touches a few documents by id inside one transaction:
 * the account document holds the running balances; everything else is an appended record with a
 * deterministic id. Money is integer fen; instants are epoch milliseconds.
 */
import type {
  AccountStatus,
  Channel,
  RepayChannel,
  Merchant,
  RiskEventStatus,
  RiskEventType,
  MessageType,
} from '../../../typings/api';
import type { Doc } from '../ports/store';
import type { OverdueRecord, StatementState } from '../core/billing/types';
import type { ScheduleRowFen } from '../core/installments/schedule';
import type { CoreProfile } from '../core/credit/profile';
import type { MultiplierKey, QuotaBreakdownFen } from '../core/credit/quota';
import { hash } from '../app/idempotency';

export interface AccountDoc extends Doc {
  openid: string;
  /** Scheduler fan-out: accounts are processed in shards of this number. */
  shard: number;
  /** Anti-fraud review after frequent quota requests (spending allowed). */
  underReview: boolean;
  channel: Channel;
  occupation: string | null;
  /** Income declared when opening (or from the profile); the yearly spending ceiling. */
  annualIncomeFen: number;
  openedAt: number;
  quotaFen: number;
  /** Unpaid principal: billed + unbilled + installment principal outstanding. */
  usedFen: number;
  breakdown: QuotaBreakdownFen;
  /** Which risk multiplier produced the quota (explains a reduced quota). */
  multiplierKey: MultiplierKey;
  evaluatedAt: number;
  nextEvaluationAt: number;
  policyVersion: string;
  risk: {
    cashOutFlag: boolean;
    openLevel2Events: number;
    frozen: boolean;
    freezeEventId?: string | null;
    /** The delinquency (its `overdueSince`) whose freeze an appeal overturned: not frozen again. */
    freezeWaivedFor?: number | null;
  };
  reeval: { requestTimes: number[]; lastAllowedAt: number | null };
  yearSpend: { year: number; fen: number };
  /** Spending per Shanghai day, kept for the previous 31 days (surge detection). */
  dailySpend: Record<string, number>;
  /** personal_qr spends of the last 24 h (cash-out pattern detection). */
  recentQrSpends: { at: number; amountFen: number; category: string }[];
  /** Unbilled principal per posting period "YYYY-MM". */
  unbilled: Record<string, number>;
  autoDebit: { enabled: boolean; channel: RepayChannel };
  /** Statement currently carrying debt (at most one), if any. */
  currentStatementId: string | null;
  /** Installment plans with dues still to bill. */
  activePlanIds: string[];
  /** Last Shanghai day whose scheduled work is done for this account ("YYYY-MM-DD"). */
  lastDay: string;
  /** Sequence for deterministic record ids. */
  seq: number;
}

export type ProfileDoc = Doc & CoreProfile;

/** Frozen (overdue or risk) outranks the anti-fraud review, which outranks active. */
export function statusOf(account: Pick<AccountDoc, 'risk' | 'underReview'>): AccountStatus {
  if (account.risk.frozen) return 'frozen';
  if (account.underReview) return 'under_review';
  return 'active';
}

export interface ApplicationDoc extends Doc {
  openid: string;
  lastDecision: 'approved' | 'rejected';
  lastAt: number;
  rejectedAt: number | null;
  policyVersion: string;
  attempts: number;
}

export interface InvitationDoc extends Doc {
  openid: string;
  createdAt: number;
  createdBy: string;
  used: boolean;
}

export interface TxnDoc extends Doc {
  openid: string;
  requestId: string;
  amountFen: number;
  merchant: Merchant;
  city: string | null;
  at: number;
  period: string;
  status: 'unbilled' | 'billed' | 'converted';
  statementId: string | null;
  policyVersion: string;
}

export interface RiskEventDoc extends Doc {
  openid: string;
  level: 1 | 2 | 3;
  type: RiskEventType;
  status: RiskEventStatus;
  createdAt: number;
  description: string;
  details: Record<string, unknown>;
  /** The policy whose thresholds opened it (absent on events stored before it was recorded). */
  policyVersion?: string;
  /** The appeal against it (absent on events appealed before it was recorded). */
  appealId?: string;
}

export interface MessageDoc extends Doc {
  openid: string;
  type: MessageType;
  title: string;
  body: string;
  createdAt: number;
  read: boolean;
  /** Subscribe-message push: 'pending' when the user had a subscription for this type. */
  push: 'none' | 'pending' | 'sending' | 'sent' | 'failed';
  /** When a flush claimed it for sending. */
  pushClaimedAt?: number;
}

/** One-time subscribe-message grants (wx.requestSubscribeMessage): remaining sends per type. */
export interface SubscriptionDoc extends Doc {
  openid: string;
  /** One-time grants left, by grant key: the template id, or the message type without one. */
  remaining: Record<string, number>;
  /**
   * The grant key of each type subscribed: types sharing a template share its grants, since one
   * acceptance of a template allows one send of it. Absent on documents from before: by type.
   */
  grantKeys?: Partial<Record<MessageType, string>>;
}

/**
 * A stable, non-reversible key per user, so record ids never expose an openid. 128 bits: ids are
 * unique only if keys are, and 48 bits (the first version) collide somewhere among ten million
 * users with odds of one in six. Ids made before keep their 12 characters; the lengths differ, so
 * old and new ids never meet.
 */
export function userKey(openid: string): string {
  return hash(`user:${openid}`).slice(0, 32);
}

/** Next deterministic record id for this account (the caller writes the bumped `seq` back). */
export function nextId(prefix: string, account: Pick<AccountDoc, 'openid' | 'seq'>): string {
  return `${prefix}_${userKey(account.openid)}_${account.seq + 1}`;
}

export const SHARDS = 64;

/** Every inbox message type (SPEC §8 plus auto-debit failures and repayment receipts). */
export const MESSAGE_TYPES = [
  'statement_issued',
  'due_soon',
  'due_today',
  'overdue',
  'quota_changed',
  'risk_warning',
  'appeal_result',
  'auto_debit_failed',
  'repayment_received',
] as const satisfies readonly MessageType[];

export function shardOf(openid: string): number {
  return parseInt(hash(`shard:${openid}`).slice(0, 8), 16) % SHARDS;
}

export interface AppealDoc extends Doc {
  openid: string;
  eventId: string;
  reason: string;
  status: 'pending' | 'upheld' | 'overturned' | 'closed';
  createdAt: number;
  reviewDueAt: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
  note: string | null;
  /** The policy that set its review deadline (absent on appeals stored before it was recorded). */
  policyVersion?: string;
  /** When the scheduler found it past its review deadline and escalated it (still pending). */
  escalatedAt?: number;
}

/** A statement as stored: the core's state plus its owner. `_id` equals the state's `id`. */
export type StatementDoc = Doc & StatementState & { openid: string };

export interface PlanDoc extends Doc {
  openid: string;
  source: 'txn' | 'statement';
  sourceId: string;
  principalFen: number;
  term: number;
  schedule: ScheduleRowFen[];
  /** Posting period whose statement bills installment 1 (the next statement after conversion). */
  firstPeriod: string;
  /** Installments already moved onto statements. */
  periodsBilled: number;
  status: 'active' | 'completed' | 'paid_off';
  createdAt: number;
  paidOffAt: number | null;
  policyVersion: string;
}

export interface RepaymentDoc extends Doc {
  openid: string;
  requestId: string | null;
  mode: 'full' | 'minimum' | 'custom' | 'payoff' | 'auto_debit';
  channel: RepayChannel;
  amountFen: number;
  feeFen: number;
  totalFen: number;
  allocation: {
    target: string;
    amountFen: number;
    statementId?: string;
    planId?: string;
    period?: string;
    accrued?: true;
  }[];
  at: number;
  owedAfterFen: number;
  policyVersion: string;
}

/** The credit history entry of SPEC §5: an overdue record, kept per user. */
export type CreditRecordDoc = Doc & OverdueRecord & { openid: string };

export function statementIdFor(openid: string, period: string): string {
  return `st_${userKey(openid)}_${period}`;
}
