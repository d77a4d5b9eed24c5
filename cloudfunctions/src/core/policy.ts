/**
 * The one versioned policy object. Every number of SPEC.md lives here, is validated at load,
 * and its `version` is recorded with each decision it produced.
 * Money values are integer fen; rates are decimal strings (never floats).
 */
import * as z from 'zod';

const fen = z.number().int().nonnegative();
const rate = z.string().regex(/^(0|[1-9][0-9]*)(\.[0-9]+)?$/, 'rate must be a plain decimal string');
const positiveInt = z.number().int().positive();

export const PolicySchema = z
  .object({
    version: z.string().min(1),
    eligibility: z.strictObject({
      minAge: positiveInt,
      minBankCards: positiveInt,
      minPayHistoryDays: positiveInt,
      reapplyAfterDays: positiveInt,
    }),
    scoring: z.strictObject({
      approveScore: z.number().int().min(0).max(100),
      /** Dimensions that must pass regardless of the total score. */
      requiredDimensions: z.array(z.enum(['payScore', 'activity', 'stability', 'social', 'creditHistory'])),
      payScore: z.strictObject({ threshold: z.number().int(), weight: fen }),
      activity: z.strictObject({ threshold: z.number().int().nonnegative(), weight: fen }),
      stability: z.strictObject({ thresholdFen: fen, weight: fen }),
      social: z.strictObject({ threshold: z.number().int().nonnegative(), weight: fen }),
      creditHistory: z.strictObject({ maxOverdueCount: z.number().int().nonnegative(), weight: fen }),
    }),
    quota: z.strictObject({
      payScoreFactorFen: fen, // fen of quota per point of pay score (10 yuan = 1000 fen)
      spendRate: rate,
      depositRate: rate,
      roundDownToFen: positiveInt,
      capFen: fen,
      minimumToOpenFen: fen,
      multipliers: z.strictObject({ normal: rate, level2: rate, cashOut: rate, frozen: rate }),
    }),
    reevaluation: z.strictObject({
      scheduledEveryHours: positiveInt,
      userMinIntervalHours: positiveInt,
      reviewWindowDays: positiveInt,
      reviewAtRequestCount: positiveInt,
    }),
    spend: z.strictObject({
      cashOutScenes: z.array(z.string()),
      forbiddenCategories: z.array(z.string()),
      crossBorderMerchants: z.array(z.string()),
      onlineSingleLimitFen: fen,
      newCityVerificationFen: fen,
      surge: z.strictObject({ ratio: rate, lookbackDays: positiveInt }),
      cashOutPattern: z.strictObject({
        category: z.string(),
        minCount: positiveInt,
        minTotalFen: fen,
        windowHours: positiveInt,
      }),
    }),
    billing: z.strictObject({
      statementDay: z.literal(1),
      dueDay: z.number().int().min(1).max(28),
      graceHours: z.number().int().nonnegative(),
      minimumPrincipalRate: rate,
      minimumFloorFen: fen,
      dailyInterestRate: rate,
      freezeAfterOverdueDays: positiveInt,
      reminderDaysBeforeDue: positiveInt,
    }),
    repayment: z.strictObject({
      bankCardFeeRate: rate,
      bankCardMinFeeFen: fen,
    }),
    installments: z.strictObject({
      terms: z.array(positiveInt).min(1),
      monthlyRate: rate,
      minPrincipalFen: fen,
      /** Seeds' rule: the full-term fees stay due on early payoff. Off by default. */
      lockedFeesOnEarlyPayoff: z.boolean(),
      /** 'declining' = interest on the declining balance (等额本息); 'flat' = fee on the full principal. */
      pricing: z.enum(['declining', 'flat']),
    }),
    risk: z.strictObject({ appealReviewHours: positiveInt, appealReasonMaxChars: positiveInt }),
    compliance: z.strictObject({ maxAnnualRate: rate }),
  })
  .strict();

export type Policy = z.infer<typeof PolicySchema>;

/** Policy 2026-11 v1: the numbers of SPEC.md. */
export const DEFAULT_POLICY_INPUT: Policy = {
  version: '2026-11.v1',
  eligibility: { minAge: 18, minBankCards: 1, minPayHistoryDays: 90, reapplyAfterDays: 7 },
  scoring: {
    approveScore: 75,
    requiredDimensions: ['payScore'],
    payScore: { threshold: 600, weight: 35 },
    activity: { threshold: 15, weight: 25 },
    stability: { thresholdFen: 50_000, weight: 20 },
    social: { threshold: 200, weight: 15 },
    creditHistory: { maxOverdueCount: 0, weight: 5 },
  },
  quota: {
    payScoreFactorFen: 1_000,
    spendRate: '0.08',
    depositRate: '0.05',
    roundDownToFen: 10_000,
    capFen: 20_000_000,
    minimumToOpenFen: 50_000,
    multipliers: { normal: '1', level2: '0.5', cashOut: '0.2', frozen: '0' },
  },
  reevaluation: {
    scheduledEveryHours: 72,
    userMinIntervalHours: 72,
    reviewWindowDays: 7,
    reviewAtRequestCount: 3,
  },
  spend: {
    cashOutScenes: ['transfer', 'withdrawal'],
    forbiddenCategories: ['virtual_currency', 'investment'],
    crossBorderMerchants: ['m_global_duty_free', 'm_hk_pharmacy'],
    onlineSingleLimitFen: 500_000,
    newCityVerificationFen: 200_000,
    surge: { ratio: '1.3', lookbackDays: 30 },
    cashOutPattern: { category: 'personal_qr', minCount: 3, minTotalFen: 300_000, windowHours: 24 },
  },
  billing: {
    statementDay: 1,
    dueDay: 10,
    graceHours: 72,
    minimumPrincipalRate: '0.10',
    minimumFloorFen: 5_000,
    dailyInterestRate: '0.0005',
    freezeAfterOverdueDays: 30,
    reminderDaysBeforeDue: 3,
  },
  repayment: { bankCardFeeRate: '0.001', bankCardMinFeeFen: 1 },
  installments: {
    terms: [3, 6, 12],
    monthlyRate: '0.015',
    minPrincipalFen: 10_000,
    lockedFeesOnEarlyPayoff: false,
    pricing: 'declining',
  },
  risk: { appealReviewHours: 72, appealReasonMaxChars: 500 },
  compliance: { maxAnnualRate: '0.24' },
};

/** Shape validation only; the compliance guard (compliance/guard.ts) adds the 24% check in `loadPolicy` (policyLoader.ts). */
export function parsePolicyShape(raw: unknown): Policy {
  const result = PolicySchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid policy at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'unknown'}`);
  }
  return result.data;
}
