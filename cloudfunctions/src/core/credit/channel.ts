/**
 * Entry-channel requirements of SPEC §2.3. Each channel takes exactly its own fields:
 * a missing one and a field the channel does not take are both INVALID_INPUT naming the field.
 */
import type { Channel } from '../../../../typings/api';
import type { Fen } from '../money';

export interface ChannelInput {
  channel: Channel;
  occupation?: string;
  annualIncomeFen?: Fen;
  /** A pending invitation exists for this user. */
  invited: boolean;
}

export type ChannelCheck =
  | { ok: true }
  | { ok: false; code: 'INVALID_INPUT'; field: 'occupation' | 'annualIncome'; message: string }
  | { ok: false; code: 'INVITATION_REQUIRED'; message: string };

type Field = 'occupation' | 'annualIncome';

const CHANNEL_FIELDS: Readonly<Record<Channel, readonly Field[]>> = {
  wallet: ['occupation', 'annualIncome'],
  invite: [],
  checkout: ['annualIncome'],
};

const CHANNEL_NAMES: Readonly<Record<Channel, string>> = {
  wallet: '钱包入口',
  invite: '邀请开通',
  checkout: '支付时开通',
};

const FIELD_NAMES: Readonly<Record<Field, string>> = { occupation: '职业', annualIncome: '年收入' };

export function checkChannel(input: ChannelInput): ChannelCheck {
  const wanted = CHANNEL_FIELDS[input.channel];
  const given: Record<Field, boolean> = {
    occupation: input.occupation !== undefined,
    annualIncome: input.annualIncomeFen !== undefined,
  };

  // Refuse extras first: a field the channel does not take means the client is confused.
  for (const field of ['occupation', 'annualIncome'] as const) {
    if (given[field] && !wanted.includes(field)) {
      return {
        ok: false,
        code: 'INVALID_INPUT',
        field,
        message: `${CHANNEL_NAMES[input.channel]}无需填写${FIELD_NAMES[field]}`,
      };
    }
  }
  for (const field of wanted) {
    const present =
      field === 'occupation' ? (input.occupation ?? '').trim() !== '' : (input.annualIncomeFen ?? 0) > 0;
    if (!present) {
      return { ok: false, code: 'INVALID_INPUT', field, message: `请填写${FIELD_NAMES[field]}` };
    }
  }
  if (input.channel === 'invite' && !input.invited) {
    return {
      ok: false,
      code: 'INVITATION_REQUIRED',
      message: '暂未收到分付开通邀请，可通过钱包入口申请开通',
    };
  }
  return { ok: true };
}
