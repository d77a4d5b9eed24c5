import type { MessageType } from '../../typings/api';
import type { Notifier, OutboundMessage } from '../../cloudfunctions/src/ports/notifier';
import { handle } from '../../cloudfunctions/src/app/dispatch';
import { FUNCTIONS } from '../../cloudfunctions/src/handlers';
import type { MessageDoc } from '../../cloudfunctions/src/usecases/documents';
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
    templateOf: (t) => (templates.includes(t) ? `TPL_${t}` : undefined),
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

  it('types sharing a template share its acceptance: one send, to the first of them (review 3)', async () => {
    // 到期提醒 carries both due_soon and due_today: accepting it once allows one send of it.
    const DUE = new Set<MessageType>(['due_soon', 'due_today']);
    const notifier: Notifier = {
      enabled: true,
      templateOf: (t) => (DUE.has(t) ? 'TPL_DUE' : undefined),
      send: async () => undefined,
    };
    const subscribed = await handle(
      'inbox',
      FUNCTIONS.inbox!,
      { action: 'subscribe', types: ['due_soon', 'due_today'] },
      'u_alice',
      { ...h.deps, notifier },
      { error: () => undefined },
    );
    expect(subscribed.status).toBe(200);
    await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: GROCERY });
    await h.at('2026-12-10T09:00:00+08:00'); // the 7th's due_soon, then the 10th's due_today
    await h.ok('sandbox', 'runScheduler');
    const pushes = (await h.store.find<MessageDoc>('messages', { openid: 'u_alice' }))
      .filter((m) => DUE.has(m.type))
      .map((m) => [m.type, m.push]);
    expect(pushes).toEqual(
      expect.arrayContaining([
        ['due_soon', 'pending'],
        ['due_today', 'none'],
      ]),
    );
    expect(pushes).toHaveLength(2);
  });

  it('turning reminders off drops the grants left: the next notice stays in the inbox (review 3)', async () => {
    await h.ok('inbox', 'subscribe', { types: ['statement_issued'] });
    expect(await h.ok('inbox', 'unsubscribe')).toEqual({ subscribed: [] });
    await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: GROCERY });
    await h.at('2026-12-01T09:00:00+08:00');
    await h.ok('sandbox', 'runScheduler');
    const [issued] = await h.store.find<MessageDoc>('messages', {
      openid: 'u_alice',
      type: 'statement_issued',
    });
    expect(issued).toMatchObject({ push: 'none' });
  });

  it('a push queued before the switch was turned off is not sent (review 4)', async () => {
    await h.ok('inbox', 'subscribe', { types: ['statement_issued'] });
    await h.ok('pay', 'spend', { requestId: rid(), amount: '1000.00', merchant: GROCERY });
    await h.at('2026-12-01T09:00:00+08:00');
    await h.ok('sandbox', 'runScheduler'); // queued: push 'pending'
    await h.ok('inbox', 'unsubscribe');
    const notifier = recordingNotifier(['statement_issued']);
    expect(await flushPushes({ ...h.deps, notifier })).toBe(0);
    expect(notifier.sent).toEqual([]);
    const [issued] = await h.store.find<MessageDoc>('messages', {
      openid: 'u_alice',
      type: 'statement_issued',
    });
    expect(issued).toMatchObject({ push: 'none' });
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
