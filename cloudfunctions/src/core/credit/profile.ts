/**
 * The scoring inputs of SPEC §1 as the core sees them: money already in integer fen,
 * so no rule ever parses a string or touches a float.
 */
import type { Profile } from '../../../../typings/api';
import { yuanToFen, type Fen } from '../money';

export interface CoreProfile {
  realNameVerified: boolean;
  age: number;
  bankCards: number;
  payScore: number;
  monthlyPaymentCount: number;
  balanceFen: Fen;
  friendCount: number;
  overdueCount: number;
  payHistoryDays: number;
  annualIncomeFen: Fen;
  avgMonthlySpendFen: Fen;
  homeCity: string;
  bankCardBalanceFen: Fen;
}

/** Convert the wire/store profile (two-decimal money strings) into the core's fen profile. */
export function toCoreProfile(p: Profile): CoreProfile {
  return {
    realNameVerified: p.realNameVerified,
    age: p.age,
    bankCards: p.bankCards,
    payScore: p.payScore,
    monthlyPaymentCount: p.monthlyPaymentCount,
    balanceFen: yuanToFen(p.balance),
    friendCount: p.friendCount,
    overdueCount: p.overdueCount,
    payHistoryDays: p.payHistoryDays,
    annualIncomeFen: yuanToFen(p.annualIncome),
    avgMonthlySpendFen: yuanToFen(p.avgMonthlySpend),
    homeCity: p.homeCity,
    bankCardBalanceFen: yuanToFen(p.bankCardBalance),
  };
}
