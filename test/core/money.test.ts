import fc from 'fast-check';
import {
  Dec,
  formatFen,
  parseMoney,
  fenTimesRate,
  yuanToFen,
  MAX_INPUT_FEN,
} from '../../cloudfunctions/src/core/money';

describe('money input grammar (SPEC: at most two decimals, no exponent, sign, spaces, zero, > 10,000,000.00)', () => {
  it.each([
    ['1000.00', 100000],
    ['0.01', 1],
    ['7300', 730000],
    ['12.5', 1250],
    ['10000000.00', MAX_INPUT_FEN],
  ])('accepts %s as %d fen', (input, fen) => {
    expect(parseMoney(input)).toEqual({ ok: true, fen });
  });

  it.each([
    ['1e3', 'BAD_FORMAT'],
    ['-1.00', 'BAD_FORMAT'],
    ['+1.00', 'BAD_FORMAT'],
    [' 1.00', 'BAD_FORMAT'],
    ['1.00 ', 'BAD_FORMAT'],
    ['1.001', 'BAD_FORMAT'],
    ['01.00', 'BAD_FORMAT'],
    ['1.', 'BAD_FORMAT'],
    ['.5', 'BAD_FORMAT'],
    ['', 'BAD_FORMAT'],
    ['1,000.00', 'BAD_FORMAT'],
    ['NaN', 'BAD_FORMAT'],
    ['Infinity', 'BAD_FORMAT'],
    ['0', 'ZERO'],
    ['0.00', 'ZERO'],
    ['10000000.01', 'TOO_LARGE'],
    ['99999999.99', 'TOO_LARGE'],
    ['100000000', 'BAD_FORMAT'],
  ])('refuses %j (%s)', (input, error) => {
    expect(parseMoney(input)).toMatchObject({ ok: false, error });
  });

  it('refuses numbers and other non-strings', () => {
    expect(parseMoney(100)).toMatchObject({ ok: false, error: 'NOT_A_STRING' });
    expect(parseMoney({ $gt: '' })).toMatchObject({ ok: false, error: 'NOT_A_STRING' });
    expect(parseMoney(null)).toMatchObject({ ok: false, error: 'NOT_A_STRING' });
  });

  it('formats fen as two-decimal strings', () => {
    expect(formatFen(730000)).toBe('7300.00');
    expect(formatFen(1)).toBe('0.01');
    expect(formatFen(0)).toBe('0.00');
    expect(formatFen(-945)).toBe('-9.45');
  });

  it('formats every safe integer of fen exactly as decimal arithmetic would (property)', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (fen) => {
        // `|| 0`: decimal.js keeps the sign of -0, which is no amount.
        expect(formatFen(fen)).toBe(new Dec(fen || 0).dividedBy(100).toFixed(2));
      }),
      { numRuns: 2000 },
    );
  });

  it('rounds half up to the fen', () => {
    expect(fenTimesRate(100000, '0.001')).toBe(100); // 1000.00 × 0.1% = 1.00
    expect(fenTimesRate(5, '0.1')).toBe(1); // 0.005 → 0.01
    expect(fenTimesRate(4, '0.1')).toBe(0);
    expect(yuanToFen('9.445')).toBe(945);
  });

  it('parse and format round-trip for every valid amount (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_INPUT_FEN }), (fen) => {
        const text = formatFen(fen);
        expect(parseMoney(text)).toEqual({ ok: true, fen });
      }),
    );
  });
});
