/**
 * Calendar edges: scheduled re-evaluation every 72 h across a month end, and the user's 72 h limit.
 * The code re-scores at the first Shanghai midnight ≥ evaluatedAt + 72 h (a daily scheduler).
 */
import { createHarness, Harness, openAccount } from '../../support/harness';
import { helpers } from './helpers';

let h: Harness;
const x = helpers(() => h);
afterEach(() => h.close());

type Quota = { evaluatedAt: string; nextEvaluationAt: string; reevaluateAvailableAt: string };

it('opened 5 Nov 10:00 → re-scored 9, 12, …, 30 Nov, 3 Dec 00:00 (72 h steps across the month end)', async () => {
  h = await createHarness('2026-11-05T10:00:00+08:00');
  await openAccount(h);
  expect((await h.ok<Quota>('credit', 'quota')).nextEvaluationAt).toBe('2026-11-09T00:00:00+08:00');
  await x.travel('2026-11-30T09:00:00+08:00');
  expect(await h.ok<Quota>('credit', 'quota')).toMatchObject({
    evaluatedAt: '2026-11-30T00:00:00+08:00',
    nextEvaluationAt: '2026-12-03T00:00:00+08:00',
  });
  await x.travel('2026-12-03T00:00:00+08:00');
  expect((await h.ok<Quota>('credit', 'quota')).evaluatedAt).toBe('2026-12-03T00:00:00+08:00');
});

it('user re-evaluation on 27 Feb 2028 22:00: available again 1 Mar 22:00 (72 h over the leap day)', async () => {
  h = await createHarness('2028-02-20T10:00:00+08:00');
  await openAccount(h);
  await h.at('2028-02-27T22:00:00+08:00');
  expect((await h.call('credit', 'reevaluate')).body.ok).toBe(true);
  expect((await h.ok<Quota>('credit', 'quota')).reevaluateAvailableAt).toBe('2028-03-01T22:00:00+08:00');
  // A refused request counts toward "a third request within 7 days" (SPEC §3), so after it the
  // retryAt is when the first request leaves the 7-day window: 27 Feb + 7 days = 5 Mar (leap year).
  await h.at('2028-03-01T21:59:00+08:00');
  expect((await h.call('credit', 'reevaluate')).body).toMatchObject({
    ok: false,
    error: { code: 'RATE_LIMITED', details: { retryAt: '2028-03-05T22:00:00+08:00' } },
  });
});
