/**
 * Calendar edges: the 72 h appeal review window across a month end and leap February. (An
 * overturned freeze decided after the 1st: test/functions/risk.test.ts.)
 */
import { createHarness, Harness, openAccount } from '../../support/harness';
import { helpers } from './helpers';

let h: Harness;
const x = helpers(() => h);
afterEach(() => h.close());

type Events = { events: { id: string; level: number; type: string; status: string; createdAt: string }[] };

describe('72 h review deadline across a month end', () => {
  const newCityEvent = async () => {
    const r = await x.spend(
      '2000.00',
      'u_alice',
      { id: 'm_mall', name: '商场', category: 'retail', scene: 'offline' },
      '北京',
    );
    expect(r.body).toMatchObject({ ok: false, error: { code: 'VERIFICATION_REQUIRED' } });
    return (await h.ok<Events>('risk', 'events')).events[0]!.id;
  };

  it('filed 30 Jan 2027 10:00 → due 2 Feb 10:00; escalated at 10:00:00, not at 09:59:59', async () => {
    h = await createHarness('2027-01-30T09:00:00+08:00');
    await openAccount(h);
    const eventId = await newCityEvent();
    await h.at('2027-01-30T10:00:00+08:00');
    const appeal = await h.ok<{ reviewDueAt: string }>('risk', 'appeal', { eventId, reason: '本人出差' });
    expect(appeal.reviewDueAt).toBe('2027-02-02T10:00:00+08:00');
    await h.at('2027-02-02T09:59:59+08:00');
    expect((await h.ok<{ appealsEscalated: number }>('sandbox', 'runScheduler')).appealsEscalated).toBe(0);
    await h.at('2027-02-02T10:00:00+08:00');
    expect((await h.ok<{ appealsEscalated: number }>('sandbox', 'runScheduler')).appealsEscalated).toBe(1);
  });

  it('filed 27 Feb 10:00 → due 2 Mar 10:00 in 2027, 1 Mar 10:00 in leap 2028', async () => {
    h = await createHarness('2027-02-27T09:00:00+08:00');
    await openAccount(h);
    let eventId = await newCityEvent();
    await h.at('2027-02-27T10:00:00+08:00');
    expect(
      (await h.ok<{ reviewDueAt: string }>('risk', 'appeal', { eventId, reason: '出差' })).reviewDueAt,
    ).toBe('2027-03-02T10:00:00+08:00');
    await h.close();
    h = await createHarness('2028-02-27T09:00:00+08:00');
    await openAccount(h);
    eventId = await newCityEvent();
    await h.at('2028-02-27T10:00:00+08:00');
    expect(
      (await h.ok<{ reviewDueAt: string }>('risk', 'appeal', { eventId, reason: '出差' })).reviewDueAt,
    ).toBe('2028-03-01T10:00:00+08:00');
  });
});
