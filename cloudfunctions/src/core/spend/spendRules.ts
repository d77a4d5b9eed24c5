/**
 * Pre-spend checks of SPEC §4, in the SPEC's order; the first failing check decides the code.
 * The order matters: a frozen account is told it is frozen before anything about the merchant.
 */
import type { AccountStatus, ErrorCode, Merchant, RiskEventType } from '../../../../typings/api';
import { formatFen, type Fen } from '../money';
import type { Policy } from '../policy';

export type SpendRefusalCode = Extract<
  ErrorCode,
  | 'NO_ACCOUNT'
  | 'ACCOUNT_FROZEN'
  | 'CASH_OUT_FORBIDDEN'
  | 'CATEGORY_FORBIDDEN'
  | 'MERCHANT_NOT_SUPPORTED'
  | 'SINGLE_LIMIT_EXCEEDED'
  | 'INSUFFICIENT_QUOTA'
  | 'INCOME_PROOF_REQUIRED'
  | 'VERIFICATION_REQUIRED'
>;

export interface SpendAccount {
  status: AccountStatus;
  quotaFen: Fen;
  usedFen: Fen;
}

export interface SpendCheckInput {
  account: SpendAccount | null;
  amountFen: Fen;
  merchant: Merchant;
  city?: string;
  homeCity: string;
  annualIncomeFen: Fen;
  /** Credit spending already made in this Shanghai calendar year, excluding this spend. */
  yearToDateSpendFen: Fen;
  policy: Policy;
}

export type SpendCheck =
  | { ok: true }
  | {
      ok: false;
      code: SpendRefusalCode;
      message: string;
      details?: Record<string, string | number>;
      /** The caller must open a level-2 risk event of `riskEventType`. */
      openLevel2Event?: true;
      riskEventType?: RiskEventType;
    };

export function checkSpend(input: SpendCheckInput): SpendCheck {
  const { account, amountFen, merchant, policy } = input;
  const rules = policy.spend;

  if (account === null) {
    return refuse('NO_ACCOUNT', '你还未开通分付，开通后即可使用');
  }
  // under_review only blocks quota requests; spending continues (SPEC §3).
  if (account.status === 'frozen') {
    return refuse('ACCOUNT_FROZEN', '分付已冻结，暂时无法使用。还清逾期欠款后即可恢复');
  }
  if (rules.cashOutScenes.includes(merchant.scene)) {
    return refuse('CASH_OUT_FORBIDDEN', '分付不支持转账、提现等套现用途', { scene: merchant.scene });
  }
  if (rules.forbiddenCategories.includes(merchant.category)) {
    return refuse('CATEGORY_FORBIDDEN', '分付不支持虚拟货币、投资理财等消费', {
      category: merchant.category,
    });
  }
  if (merchant.scene === 'cross_border' && !rules.crossBorderMerchants.includes(merchant.id)) {
    return refuse('MERCHANT_NOT_SUPPORTED', '该境外商户暂不支持分付，请选择其他支付方式', {
      merchantId: merchant.id,
    });
  }
  if (merchant.scene === 'online' && amountFen > rules.onlineSingleLimitFen) {
    return refuse(
      'SINGLE_LIMIT_EXCEEDED',
      `线上消费单笔不能超过 ${formatFen(rules.onlineSingleLimitFen)} 元`,
      { amount: formatFen(amountFen), limit: formatFen(rules.onlineSingleLimitFen) },
    );
  }
  const availableFen = Math.max(0, account.quotaFen - account.usedFen);
  if (amountFen > availableFen) {
    return refuse('INSUFFICIENT_QUOTA', `分付可用额度不足，当前可用 ${formatFen(availableFen)} 元`, {
      amount: formatFen(amountFen),
      available: formatFen(availableFen),
    });
  }
  if (input.yearToDateSpendFen + amountFen > input.annualIncomeFen) {
    return refuse('INCOME_PROOF_REQUIRED', '本年度分付消费将超过你申报的年收入，请补充收入证明后再试', {
      amount: formatFen(amountFen),
      annualIncome: formatFen(input.annualIncomeFen),
      yearToDate: formatFen(input.yearToDateSpendFen),
      remaining: formatFen(Math.max(0, input.annualIncomeFen - input.yearToDateSpendFen)),
    });
  }
  const city = input.city?.trim() ?? '';
  if (city !== '' && city !== input.homeCity.trim() && amountFen >= rules.newCityVerificationFen) {
    return {
      ok: false,
      code: 'VERIFICATION_REQUIRED',
      message: '检测到你在常用城市以外进行大额消费，为保障资金安全，请完成身份验证后再试',
      details: {
        amount: formatFen(amountFen),
        threshold: formatFen(rules.newCityVerificationFen),
        city,
        homeCity: input.homeCity,
      },
      openLevel2Event: true,
      riskEventType: 'new_city_large_spend',
    };
  }
  return { ok: true };
}

function refuse(
  code: SpendRefusalCode,
  message: string,
  details?: Record<string, string | number>,
): SpendCheck {
  return details === undefined ? { ok: false, code, message } : { ok: false, code, message, details };
}
