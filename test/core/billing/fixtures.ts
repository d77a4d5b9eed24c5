/** Shared builders for the billing and repayment tests (not a test file itself). */
import fc from 'fast-check';
import { evaluateGraceEnd } from '../../../cloudfunctions/src/core/billing/delinquency';
import { accruedInterestToDate } from '../../../cloudfunctions/src/core/billing/interest';
import { remainingFen } from '../../../cloudfunctions/src/core/billing/ledger';
import { buildStatement } from '../../../cloudfunctions/src/core/billing/statement';
import type { InstallmentDue, StatementState } from '../../../cloudfunctions/src/core/billing/types';
import { yuanToFen, type Fen } from '../../../cloudfunctions/src/core/money';
import { DEFAULT_POLICY_INPUT } from '../../../cloudfunctions/src/core/policy';
import { atLocal, type Millis } from '../../../cloudfunctions/src/core/time';
import { applyRepayment } from '../../../cloudfunctions/src/core/repayment/apply';
import { quoteRepayment, type QuoteOk } from '../../../cloudfunctions/src/core/repayment/quote';
import type { RepayMode } from '../../../typings/api';

export const policy = DEFAULT_POLICY_INPUT;

/** Shanghai wall-clock time: at('2026-12-10'), at('2026-12-10 12:00'), at('2026-12-10 23:59:59'). */
export function at(text: string): Millis {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m) throw new Error(`bad time ${text}`);
  const n = (i: number): number => Number(m[i] ?? 0);
  return atLocal(n(1), n(2), n(3), n(4), n(5), n(6));
}

export const fen = (yuan: string): Fen => yuanToFen(yuan);

export const BIG_FUNDS: Fen = 1_000_000_000_00;
const MINUTE_MS = 60_000;

/** The statement of period "2026-11" issued on 1 Dec with `amount` of November purchases. */
export function novemberStatement(amount = '1000.00', dues: InstallmentDue[] = []): StatementState {
  const built = buildStatement({
    period: '2026-11',
    issuedAt: at('2026-12-01'),
    previous: null,
    unbilledFen: fen(amount),
    purchaseLines: [
      { txnId: 't1', description: '测试商户', amountFen: fen(amount), at: at('2026-11-15 10:00') },
    ],
    installmentDues: dues,
    now: at('2026-12-01'),
    policy,
  });
  if (!built) throw new Error('expected a statement');
  return built.statement;
}

/** Quote (零钱, ample funds) and apply to the statement; returns the statement after. */
export function pay(
  s: StatementState,
  mode: RepayMode,
  when: string,
  amount?: string,
  accruedInterestFen = 0,
): { statement: StatementState; quote: QuoteOk } {
  const q = quoteRepayment({
    mode,
    ...(amount !== undefined ? { amountFen: fen(amount) } : {}),
    channel: 'balance',
    statement: s,
    unbilled: {},
    accruedInterestFen,
    plans: [],
    sourceFundsFen: BIG_FUNDS,
    policy,
  });
  if (!q.ok) throw new Error(`quote refused: ${q.code} ${q.message}`);
  return { statement: applyRepayment(s, q.allocation, at(when)), quote: q };
}

/** Issue the statement of `period` after `previous`. */
export function nextStatement(
  previous: StatementState | null,
  period: string,
  issuedAt: string,
  unbilled = '0.00',
  dues: InstallmentDue[] = [],
): { statement: StatementState; previousAfter: StatementState | null } | null {
  return buildStatement({
    period,
    issuedAt: at(issuedAt),
    previous,
    unbilledFen: fen(unbilled),
    purchaseLines: [],
    installmentDues: dues,
    now: at(issuedAt),
    policy,
  });
}

// ---------------------------------------------------------------- property-test scenarios

export interface ScenarioPayment {
  minute: number; // minutes after the statement date
  mode: RepayMode;
  share: number; // percent of the owed amount, for custom
}

export interface Scenario {
  newFen: Fen;
  dues: { principalFen: Fen; interestFen: Fen }[];
  decPayments: ScenarioPayment[];
  carry: boolean;
  janNewFen: Fen;
  janPayments: ScenarioPayment[];
}

const MONTH_MINUTES = 31 * 24 * 60;

const arbPayments = fc.array(
  fc.record({
    minute: fc.integer({ min: 0, max: MONTH_MINUTES - 1 }),
    mode: fc.constantFrom<RepayMode>('custom', 'custom', 'custom', 'minimum', 'full', 'payoff'),
    share: fc.integer({ min: 1, max: 100 }),
  }),
  { maxLength: 5 },
);

export const arbScenario: fc.Arbitrary<Scenario> = fc.record({
  newFen: fc.integer({ min: 0, max: 3_000_000 }),
  dues: fc.array(
    fc.record({
      principalFen: fc.integer({ min: 0, max: 300_000 }),
      interestFen: fc.integer({ min: 0, max: 10_000 }),
    }),
    { maxLength: 2 },
  ),
  decPayments: arbPayments,
  carry: fc.boolean(),
  janNewFen: fc.integer({ min: 0, max: 1_000_000 }),
  janPayments: arbPayments,
});

export interface ScenarioStep {
  statement: StatementState;
  now: Millis;
}

export function playPayments(
  start: StatementState,
  payments: ScenarioPayment[],
  onStep: (step: ScenarioStep) => void,
): StatementState {
  let s = start;
  const sorted = [...payments].sort((a, b) => a.minute - b.minute);
  for (const p of sorted) {
    const now = s.statementDate + p.minute * MINUTE_MS;
    if (s.graceEvaluatedAt === undefined && now > s.graceEndsAt + 999)
      s = evaluateGraceEnd(s, policy).statement;
    const accrued = accruedInterestToDate(s, now, policy);
    let amountFen: Fen | undefined;
    if (p.mode === 'custom') {
      const owed = remainingFen(s) + accrued;
      amountFen = Math.max(1, Math.ceil((owed * p.share) / 100));
    }
    const q = quoteRepayment({
      mode: p.mode,
      ...(amountFen !== undefined ? { amountFen } : {}),
      channel: 'balance',
      statement: s,
      unbilled: {},
      accruedInterestFen: accrued,
      plans: [],
      sourceFundsFen: BIG_FUNDS,
      policy,
    });
    if (!q.ok) continue; // NOTHING_DUE / OVERPAYMENT are fine outcomes here
    s = applyRepayment(s, q.allocation, now);
    onStep({ statement: s, now });
  }
  if (s.graceEvaluatedAt === undefined) s = evaluateGraceEnd(s, policy).statement;
  onStep({ statement: s, now: s.graceEndsAt });
  return s;
}

/** Issue November, pay during December, optionally issue January (carrying) and pay during January. */
export function playScenario(sc: Scenario, onStep: (step: ScenarioStep) => void): void {
  const nov = issueNovember(sc);
  if (!nov) return;
  onStep({ statement: nov, now: at('2026-12-01') });
  const dec = playPayments(nov, sc.decPayments, onStep);
  if (!sc.carry) return;
  const jan = buildStatement({
    period: '2026-12',
    issuedAt: at('2027-01-01'),
    previous: dec,
    unbilledFen: sc.janNewFen,
    purchaseLines: [],
    installmentDues: [],
    now: at('2027-01-01'),
    policy,
  });
  if (!jan) return;
  onStep({ statement: jan.previousAfter!, now: at('2027-01-01') });
  onStep({ statement: jan.statement, now: at('2027-01-01') });
  playPayments(jan.statement, sc.janPayments, onStep);
}

/** The November statement of a scenario (null when it bills nothing). */
export function issueNovember(sc: Scenario): StatementState | null {
  const dues = sc.dues.map((d, i) => ({ planId: `p${i}`, ...d }));
  const nov = buildStatement({
    period: '2026-11',
    issuedAt: at('2026-12-01'),
    previous: null,
    unbilledFen: sc.newFen,
    purchaseLines: [],
    installmentDues: dues,
    now: at('2026-12-01'),
    policy,
  });
  return nov ? nov.statement : null;
}
