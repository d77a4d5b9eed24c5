import type { MessageType } from '../../typings/api';
import type { Notifier, OutboundMessage } from '../../cloudfunctions/src/ports/notifier';
import { flushPushes } from '../../cloudfunctions/src/usecases/messages';
import { createHarness, GROCERY, Harness, openAccount, rid } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness('2026-11-05T10:00:00+08:00');
  await openAccount(h);
});
afterEach(() => h.close());

/** The WeChat side of subscribe messages, recorded (the real one needs WeChat's servers). */
function recordingNotifier(templates: MessageType[]): Notifier & { sent: OutboundMessage[] } {
  const sent: OutboundMessage[] = [];
  return {
    enabled: true,
    sent,
    hasTemplate: (t) => templates.includes(t),
    send: async (m) => void sent.push(m),
  };
}

describe('subscribe messages', () => {
  it('a subscribed statement notice is pushed once, and each grant is used once', async () => {
    await h.ok('inbox', 'subscribe', { types: ['statement_issued'] });
    await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: GROCERY });
    await h.at('2026-12-01T09:00:00+08:00');
    await h.ok('sandbox', 'runScheduler');
    const notifier = recordingNotifier(['statement_issued']);
    const deps = { ...h.deps, notifier };
    expect(await flushPushes(deps)).toBe(1);
    expect(notifier.sent[0]).toMatchObject({ openid: 'u_alice', type: 'statement_issued' });
    expect(await flushPushes(deps)).toBe(0);

    // The grant is spent: January's statement stays in the inbox only.
    await h.at('2027-01-01T09:00:00+08:00');
    await h.ok('sandbox', 'runScheduler');
    expect(await flushPushes(deps)).toBe(0);
  });

  it('nothing is pushed without a subscription or without a configured template', async () => {
    await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: GROCERY });
    await h.ok('inbox', 'subscribe', { types: ['due_soon'] });
    await h.at('2026-12-08T09:00:00+08:00');
    await h.ok('sandbox', 'runScheduler');
    const notifier = recordingNotifier([]);
    expect(await flushPushes({ ...h.deps, notifier })).toBe(0);
    const failed = await h.store.find('messages', { push: 'failed' });
    expect(failed).toHaveLength(1); // due_soon had a grant but no template: recorded, not retried
  });

  it('two flushes at the same moment send a message once', async () => {
    await h.ok('inbox', 'subscribe', { types: ['statement_issued'] });
    await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: GROCERY });
    await h.at('2026-12-01T09:00:00+08:00');
    await h.ok('sandbox', 'runScheduler');
    const notifier = recordingNotifier(['statement_issued']);
    const deps = { ...h.deps, notifier };
    const counts = await Promise.all([flushPushes(deps), flushPushes(deps), flushPushes(deps)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(notifier.sent).toHaveLength(1);
  });

  it('locally (notifier disabled) nothing is sent', async () => {
    expect(await flushPushes(h.deps)).toBe(0);
  });
});
