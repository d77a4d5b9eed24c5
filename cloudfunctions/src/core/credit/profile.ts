/**
 * The scoring inputs of SPEC §1 as the core sees them: money already in integer fen,
 * so no rule ever parses a string or touches a float. Stored as such (usecases/profiles.ts maps
 * it to the wire's `Profile`; sandbox input is validated straight into fen).
 */
import type { Fen } from '../money';

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
