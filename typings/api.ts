/**
 * The API contract of SPEC §9, shared by the cloud functions and the mini program.
 * Types only (no runtime code), so the mini program can `import type` it across roots.
 * Money: two-decimal strings ("7300.00"). Times: ISO 8601 with +08:00. Rates: percent strings ("18.00").
 */

export type Money = string;
export type IsoTime = string;
export type Percent = string;

// ---------------------------------------------------------------- envelope and errors

export type ErrorCode =
  // input and protocol
  | 'INVALID_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND' // an unknown function or action (404); an id naming nothing is INVALID_INPUT
  | 'IDEMPOTENCY_CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'INTERNAL'
  // opening credit
  | 'ALREADY_OPEN'
  | 'REAPPLY_TOO_SOON'
  | 'INVITATION_REQUIRED'
  | 'PROFILE_MISSING'
  // quota
  | 'RATE_LIMITED'
  | 'UNDER_REVIEW'
  // spending
  | 'NO_ACCOUNT'
  | 'ACCOUNT_FROZEN'
  | 'CASH_OUT_FORBIDDEN'
  | 'CATEGORY_FORBIDDEN'
  | 'MERCHANT_NOT_SUPPORTED'
  | 'SINGLE_LIMIT_EXCEEDED'
  | 'INSUFFICIENT_QUOTA'
  | 'INCOME_PROOF_REQUIRED'
  | 'VERIFICATION_REQUIRED'
  // repayment and installments
  | 'NOTHING_DUE'
  | 'OVERPAYMENT'
  | 'INSUFFICIENT_FUNDS'
  | 'NOT_CONVERTIBLE'
  | 'ALREADY_CONVERTED'
  // risk
  | 'APPEAL_EXISTS'
  | 'APPEAL_CLOSED'
  // sandbox
  | 'CLOCK_BACKWARDS';

/** Reasons a credit application is rejected (an answer, not an error). */
export type RejectionReason =
  | 'REAL_NAME_REQUIRED'
  | 'UNDERAGE'
  | 'BANK_CARD_REQUIRED'
  | 'PAY_HISTORY_TOO_SHORT'
  | 'PAY_SCORE_TOO_LOW'
  | 'SCORE_TOO_LOW'
  | 'QUOTA_TOO_LOW';

export interface ApiError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ApiError };

// ---------------------------------------------------------------- profile (sandbox)

export interface Profile {
  realNameVerified: boolean;
  age: number;
  bankCards: number;
  payScore: number;
  monthlyPaymentCount: number;
  balance: Money;
  friendCount: number;
  overdueCount: number;
  payHistoryDays: number;
  annualIncome: Money;
  avgMonthlySpend: Money;
  homeCity: string;
  bankCardBalance: Money;
}

// ---------------------------------------------------------------- credit

export type AccountStatus = 'active' | 'frozen' | 'under_review';
export type Channel = 'wallet' | 'invite' | 'checkout';

export interface AccountView {
  status: AccountStatus;
  quota: Money;
  used: Money;
  available: Money;
  channel: Channel;
  openedAt: IsoTime;
  nextEvaluationAt: IsoTime;
}

export interface CreditStatusData {
  account: AccountView | null;
  canApply: boolean;
  reapplyAt?: IsoTime;
  /** Pending invitation (service notification) for this user. */
  invited?: boolean;
}

export interface CreditApplyRequest {
  channel: Channel;
  occupation?: string;
  annualIncome?: Money;
}

export type DimensionKey = 'payScore' | 'activity' | 'stability' | 'social' | 'creditHistory';

export interface Dimension {
  key: DimensionKey;
  label: string;
  /** The user's value, as shown (money as a money string, counts as integers). */
  value: number | Money;
  threshold: number | Money;
  weight: number;
  passed: boolean;
  suggestion?: string;
}

export interface QuotaBreakdown {
  base: Money;
  spend: Money;
  deposit: Money;
  raw: Money;
  riskMultiplier: string;
  cap: Money;
}

export interface CreditApplyData {
  decision: 'approved' | 'rejected';
  score: number;
  reasons: RejectionReason[];
  dimensions: Dimension[];
  quota?: Money;
  breakdown?: QuotaBreakdown;
  reapplyAt?: IsoTime;
  /** When PAY_HISTORY_TOO_SHORT: the date the user enters the candidate pool. */
  candidatePoolAt?: IsoTime;
  policyVersion: string;
}

export interface CreditQuotaData {
  quota: Money;
  used: Money;
  available: Money;
  breakdown: QuotaBreakdown;
  evaluatedAt: IsoTime;
  nextEvaluationAt: IsoTime;
  /** Earliest time the user may ask for a re-evaluation (as the limits alone would have it). */
  reevaluateAvailableAt: IsoTime;
  /**
   * Extension: a third request within 7 days put the account under review; no request is taken
   * until an operator clears it, whatever `reevaluateAvailableAt` says.
   */
  underReview: boolean;
  tips: string[];
}

export interface CreditReevaluateData extends CreditQuotaData {
  previousQuota: Money;
  changed: boolean;
}

// ---------------------------------------------------------------- pay

export type Scene = 'online' | 'offline' | 'utility' | 'cross_border' | 'transfer' | 'withdrawal';

export interface Merchant {
  id: string;
  name: string;
  category: string;
  scene: Scene;
}

export interface SpendRequest {
  requestId: string;
  amount: Money;
  merchant: Merchant;
  city?: string;
}

export type SpendWarning = 'SPEND_SURGE' | 'CASH_OUT_SUSPECTED';

export interface SpendData {
  txnId: string;
  amount: Money;
  available: Money;
  warnings: SpendWarning[];
}

// ---------------------------------------------------------------- bill

export type StatementStatus = 'open' | 'paid' | 'overdue' | 'carried';

export interface StatementLine {
  kind: 'purchase' | 'installment' | 'interest' | 'carried';
  description: string;
  amount: Money;
  at: IsoTime;
  txnId?: string;
  planId?: string;
}

export interface Statement {
  id: string;
  period: string;
  statementDate: IsoTime;
  dueDate: IsoTime;
  graceEndsAt: IsoTime;
  balance: Money;
  principal: Money;
  interest: Money;
  installments: Money;
  minimumDue: Money;
  /** What is still needed to meet the minimum now (what mode `minimum` would pay); 0.00 when met. */
  minimumOutstanding: Money;
  paid: Money;
  remaining: Money;
  status: StatementStatus;
  overdueDays: number;
  /** Part of the balance moved to the next statement (status `carried`) or converted to installments. */
  carriedForward: Money;
  converted: Money;
}

export interface StatementDetail extends Statement {
  lines: StatementLine[];
}

export type RepayMode = 'full' | 'minimum' | 'custom' | 'payoff';
export type RepayChannel = 'balance' | 'bank_card';

export interface BillSummaryData {
  current: Statement | null;
  unbilled: Money;
  totalOwed: Money;
  autoDebit: { enabled: boolean; channel: RepayChannel };
}

export interface BillListData {
  statements: Statement[];
}

export interface QuoteRequest {
  mode: RepayMode;
  amount?: Money;
  channel: RepayChannel;
}

export type AllocationTarget = 'interest' | 'billed_principal' | 'installment' | 'unbilled_principal';

export interface AllocationLine {
  target: AllocationTarget;
  amount: Money;
  statementId?: string;
  planId?: string;
}

export interface QuoteData {
  amount: Money;
  fee: Money;
  total: Money;
  allocation: AllocationLine[];
}

export interface RepayRequest extends QuoteRequest {
  requestId: string;
}

export interface RepayData {
  repaymentId: string;
  amount: Money;
  fee: Money;
  total: Money;
  owedAfter: Money;
}

export interface ScheduleRow {
  period: number;
  payment: Money;
  principal: Money;
  interest: Money;
  remaining: Money;
}

export interface InstallmentOffer {
  term: number;
  principal: Money;
  monthlyRate: Percent;
  monthlyPayment: Money;
  totalInterest: Money;
  aprSimple: Percent;
  aprCompound: Percent;
  schedule: ScheduleRow[];
  /** Present when the locked-fee policy is on: the annualised rate of paying off after the first period. */
  earlyPayoffAprSimple?: Percent;
  earlyPayoffAprCompound?: Percent;
}

export type InstallmentOffersRequest = { statementId: string } | { txnId: string };

export interface InstallmentOffersData {
  offers: InstallmentOffer[];
}

export type ConvertRequest = { requestId: string; term: number } & (
  { statementId: string } | { txnId: string }
);

export interface ConvertData {
  planId: string;
  term: number;
  principal: Money;
  monthlyPayment: Money;
  totalInterest: Money;
  firstDueDate: IsoTime;
}

export interface AutoDebitRequest {
  enabled: boolean;
  channel: RepayChannel;
}

export interface AutoDebitData {
  enabled: boolean;
  channel: RepayChannel;
}

// ---------------------------------------------------------------- risk

export type RiskEventType = 'spend_surge' | 'new_city_large_spend' | 'cash_out_pattern' | 'overdue_30_days';
export type RiskEventStatus = 'open' | 'appealed' | 'upheld' | 'overturned' | 'resolved';

export interface RiskEvent {
  id: string;
  level: 1 | 2 | 3;
  type: RiskEventType;
  createdAt: IsoTime;
  status: RiskEventStatus;
  description: string;
}

export interface RiskEventsData {
  events: RiskEvent[];
}

export interface AppealRequest {
  eventId: string;
  reason: string;
}

/** `closed`: the event ended before a decision (everything overdue repaid lifts a freeze). */
export type AppealStatus = 'pending' | 'upheld' | 'overturned' | 'closed';

export interface Appeal {
  id: string;
  eventId: string;
  reason: string;
  status: AppealStatus;
  createdAt: IsoTime;
  reviewDueAt: IsoTime;
  /** Past its review deadline, still pending: escalated to the operators. */
  escalatedAt?: IsoTime;
  resolvedAt?: IsoTime;
  note?: string;
}

export interface AppealsData {
  appeals: Appeal[];
}

// ---------------------------------------------------------------- inbox

export type MessageType =
  | 'statement_issued'
  | 'due_soon'
  | 'due_today'
  | 'overdue'
  | 'quota_changed'
  | 'risk_warning'
  | 'appeal_result'
  | 'auto_debit_failed'
  | 'repayment_received';

export interface InboxMessage {
  id: string;
  type: MessageType;
  title: string;
  body: string;
  createdAt: IsoTime;
  read: boolean;
}

export interface InboxListData {
  messages: InboxMessage[];
  unread: number;
}

// ---------------------------------------------------------------- admin and sandbox

export interface ResolveAppealRequest {
  appealId: string;
  outcome: 'upheld' | 'overturned';
  note: string;
}

export type ClockRequest =
  { advanceHours: number } | { advanceDays: number } | { set: IsoTime } | Record<string, never>;

export interface ClockData {
  now: IsoTime;
}

export interface SchedulerRunData {
  from: string | null;
  to: string;
  days: number;
  statementsIssued: number;
  interestAccrued: number;
  autoDebits: number;
  overdueMarked: number;
  frozen: number;
  reevaluated: number;
  reminders: number;
  /** Appeals found past their review deadline and escalated (never decided by the scheduler). */
  appealsEscalated: number;
}

// ---------------------------------------------------------------- per-function action maps

export interface CreditActions {
  status: { req: Record<string, never>; res: CreditStatusData };
  apply: { req: CreditApplyRequest; res: CreditApplyData };
  quota: { req: Record<string, never>; res: CreditQuotaData };
  reevaluate: { req: Record<string, never>; res: CreditReevaluateData };
}
export interface PayActions {
  spend: { req: SpendRequest; res: SpendData };
}
export interface BillActions {
  summary: { req: Record<string, never>; res: BillSummaryData };
  list: { req: Record<string, never>; res: BillListData };
  detail: { req: { statementId: string }; res: StatementDetail };
  quote: { req: QuoteRequest; res: QuoteData };
  repay: { req: RepayRequest; res: RepayData };
  installmentOffers: { req: InstallmentOffersRequest; res: InstallmentOffersData };
  convert: { req: ConvertRequest; res: ConvertData };
  autoDebit: { req: AutoDebitRequest; res: AutoDebitData };
}
export interface RiskActions {
  events: { req: Record<string, never>; res: RiskEventsData };
  appeal: { req: AppealRequest; res: Appeal };
  appeals: { req: Record<string, never>; res: AppealsData };
}
export interface InboxActions {
  list: { req: Record<string, never>; res: InboxListData };
  read: { req: { messageId: string }; res: { id: string; read: true } };
  /** Extension: record the one-time subscribe grants accepted in wx.requestSubscribeMessage. */
  subscribe: { req: { types: MessageType[] }; res: { subscribed: MessageType[] } };
  /** Extension: 还款提醒 turned off, the grants left are dropped (the inbox gets everything still). */
  unsubscribe: { req: Record<string, never>; res: { subscribed: MessageType[] } };
}
export interface AdminActions {
  resolveAppeal: { req: ResolveAppealRequest; res: Appeal };
  clearReview: { req: { openid: string }; res: { openid: string; status: AccountStatus } };
  invite: { req: { openid: string }; res: { openid: string; invited: true } };
}
export interface SandboxActions {
  setProfile: { req: Partial<Profile>; res: { profile: Profile } };
  clock: { req: ClockRequest; res: ClockData };
  runScheduler: { req: Record<string, never>; res: SchedulerRunData };
  invite: { req: Record<string, never>; res: { openid: string; invited: true } };
}

export interface Api {
  credit: CreditActions;
  pay: PayActions;
  bill: BillActions;
  risk: RiskActions;
  inbox: InboxActions;
  admin: AdminActions;
  sandbox: SandboxActions;
}

export type FunctionName = keyof Api;
export type ActionName<F extends FunctionName> = keyof Api[F] & string;
