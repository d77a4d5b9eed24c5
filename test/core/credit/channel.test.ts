import { checkChannel } from '../../../cloudfunctions/src/core/credit/channel';

describe('entry channels (SPEC §2.3)', () => {
  it('wallet requires occupation and annual income', () => {
    expect(
      checkChannel({ channel: 'wallet', occupation: '工程师', annualIncomeFen: 12_000_000, invited: false }),
    ).toEqual({
      ok: true,
    });
    expect(checkChannel({ channel: 'wallet', annualIncomeFen: 12_000_000, invited: false })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      field: 'occupation',
    });
    expect(
      checkChannel({ channel: 'wallet', occupation: '  ', annualIncomeFen: 12_000_000, invited: false }),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'occupation',
    });
    expect(checkChannel({ channel: 'wallet', occupation: '工程师', invited: true })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'annualIncome',
    });
  });

  it('invite requires a pending invitation and nothing else', () => {
    expect(checkChannel({ channel: 'invite', invited: true })).toEqual({ ok: true });
    expect(checkChannel({ channel: 'invite', invited: false })).toMatchObject({
      ok: false,
      code: 'INVITATION_REQUIRED',
    });
    expect(checkChannel({ channel: 'invite', annualIncomeFen: 100, invited: true })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'annualIncome',
    });
    expect(checkChannel({ channel: 'invite', occupation: '教师', invited: true })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'occupation',
    });
  });

  it('checkout requires only annual income and refuses occupation', () => {
    expect(checkChannel({ channel: 'checkout', annualIncomeFen: 12_000_000, invited: false })).toEqual({
      ok: true,
    });
    expect(checkChannel({ channel: 'checkout', invited: false })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'annualIncome',
    });
    const r = checkChannel({
      channel: 'checkout',
      occupation: '工程师',
      annualIncomeFen: 12_000_000,
      invited: false,
    });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT', field: 'occupation' });
    if (!r.ok) expect(r.message).toMatch(/职业/);
  });
});
