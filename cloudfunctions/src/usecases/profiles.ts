/** Profiles: the scoring inputs (SPEC §1). In production WeChat supplies them; locally the sandbox edits them. */
import type { Profile } from '../../../typings/api';
import type { CoreProfile } from '../core/credit/profile';
import { formatFen } from '../core/money';
import type { ProfileDoc } from './documents';

export function profileView(p: CoreProfile): Profile {
  return {
    realNameVerified: p.realNameVerified,
    age: p.age,
    bankCards: p.bankCards,
    payScore: p.payScore,
    monthlyPaymentCount: p.monthlyPaymentCount,
    balance: formatFen(p.balanceFen),
    friendCount: p.friendCount,
    overdueCount: p.overdueCount,
    payHistoryDays: p.payHistoryDays,
    annualIncome: formatFen(p.annualIncomeFen),
    avgMonthlySpend: formatFen(p.avgMonthlySpendFen),
    homeCity: p.homeCity,
    bankCardBalance: formatFen(p.bankCardBalanceFen),
  };
}

/** A new WeChat Pay user with nothing yet: what the sandbox starts from for an unknown openid. */
export const BLANK_PROFILE: CoreProfile = {
  realNameVerified: false,
  age: 18,
  bankCards: 0,
  payScore: 550,
  monthlyPaymentCount: 0,
  balanceFen: 0,
  friendCount: 0,
  overdueCount: 0,
  payHistoryDays: 0,
  annualIncomeFen: 0,
  avgMonthlySpendFen: 0,
  homeCity: '深圳',
  bankCardBalanceFen: 0,
};

/** The demo personas seeded on the first local start. */
export const DEMO_PERSONAS: Record<string, { label: string; profile: CoreProfile }> = {
  demo_strong: {
    label: '信用良好：支付分 700，开通后额度 7300.00',
    profile: {
      realNameVerified: true,
      age: 30,
      bankCards: 2,
      payScore: 700,
      monthlyPaymentCount: 45,
      balanceFen: 200_000,
      friendCount: 320,
      overdueCount: 0,
      payHistoryDays: 1_500,
      annualIncomeFen: 24_000_000,
      avgMonthlySpendFen: 300_000,
      homeCity: '深圳',
      bankCardBalanceFen: 5_000_000,
    },
  },
  demo_thin: {
    label: '信用薄弱：支付分 580，会被拒绝（PAY_SCORE_TOO_LOW）',
    profile: {
      realNameVerified: true,
      age: 24,
      bankCards: 1,
      payScore: 580,
      monthlyPaymentCount: 8,
      balanceFen: 12_000,
      friendCount: 90,
      overdueCount: 0,
      payHistoryDays: 200,
      annualIncomeFen: 6_000_000,
      avgMonthlySpendFen: 80_000,
      homeCity: '成都',
      bankCardBalanceFen: 150_000,
    },
  },
  demo_minor: {
    label: '未成年：17 岁，会被拒绝（UNDERAGE）',
    profile: {
      realNameVerified: true,
      age: 17,
      bankCards: 0,
      payScore: 620,
      monthlyPaymentCount: 20,
      balanceFen: 30_000,
      friendCount: 150,
      overdueCount: 0,
      payHistoryDays: 400,
      annualIncomeFen: 0,
      avgMonthlySpendFen: 50_000,
      homeCity: '杭州',
      bankCardBalanceFen: 0,
    },
  },
};

export function profileDoc(openid: string, p: CoreProfile): ProfileDoc {
  return { _id: openid, ...p };
}
