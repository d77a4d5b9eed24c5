/**
 * The idempotency memo's parameter hash must not change between versions: a retry that arrives
 * after an upgrade is compared with a hash stored before it. `reference` is the form as it was
 * first written (kept here as the oracle); the product's faster one must agree on every value.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, hash } from '../../cloudfunctions/src/app/idempotency';

function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('canonicalJson', () => {
  it('writes every JSON value as the first version did', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(v)).toBe(reference(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('drops undefined fields, and equal objects in any key order give one form', () => {
    const value = fc.dictionary(
      fc.string({ maxLength: 6 }),
      fc.oneof(fc.jsonValue(), fc.constant(undefined)),
    );
    fc.assert(
      fc.property(value, (v) => {
        const reversed = Object.fromEntries(Object.entries(v).reverse());
        expect(canonicalJson(v)).toBe(reference(v));
        expect(canonicalJson(reversed)).toBe(canonicalJson(v));
      }),
    );
  });

  it("a spend's parameters: the form and hash stored memos hold", () => {
    const params = {
      merchant: { scene: 'offline', name: '华润万家', id: 'm_grocery', category: 'grocery' },
      amount: 10000,
      city: undefined,
    };
    const form =
      '{"amount":10000,"merchant":{"category":"grocery","id":"m_grocery","name":"华润万家","scene":"offline"}}';
    expect(canonicalJson(params)).toBe(form);
    expect(hash(form)).toBe(createHash('sha256').update(form).digest('hex'));
  });
});
