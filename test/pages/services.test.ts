/** The typed client and its two transports (local gateway, CloudBase), and the display helpers. */
import { config } from '../../miniprogram/config';
import { ApiError, call, errorMessage, newRequestId, setTransport } from '../../miniprogram/services/api';
import { setOpenid } from '../../miniprogram/services/session';
import { cloudTransport, localTransport } from '../../miniprogram/services/transport';
import {
  formatDateTime,
  formatDay,
  formatMoney,
  isMoneyInput,
  normalizeMoney,
  toFen,
} from '../../miniprogram/utils/format';
import { FakeApi } from './support/fake-api';
import * as fx from './support/fixtures';

type RequestOptions = WechatMiniprogram.RequestOption;

describe('services/api call()', () => {
  afterEach(() => setTransport(null));

  it('sends { action, ...params } to the function and returns data', async () => {
    const api = new FakeApi().ok('bill', 'quote', fx.quoteFull);
    setTransport(api.transport);
    const q = await call('bill', 'quote', { mode: 'full', channel: 'balance' });
    expect(q.total).toBe('1286.50');
    expect(api.calls).toEqual([
      { fn: 'bill', action: 'quote', params: { mode: 'full', channel: 'balance' } },
    ]);
  });

  it('turns a refusal envelope into an ApiError carrying the Chinese message', async () => {
    setTransport(
      new FakeApi().fail('pay', 'spend', {
        code: 'INSUFFICIENT_QUOTA',
        message: '分付可用额度不足，当前可用 100.00 元',
        details: { available: '100.00' },
      }).transport,
    );
    const err = await call('pay', 'spend', {
      requestId: 'req_12345678',
      amount: '200.00',
      merchant: { id: 'm', name: 'm', category: 'retail', scene: 'offline' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'INSUFFICIENT_QUOTA', details: { available: '100.00' } });
    expect(errorMessage(err)).toBe('分付可用额度不足，当前可用 100.00 元');
  });

  it('reports a transport failure as NETWORK_ERROR', async () => {
    setTransport(new FakeApi().offline('credit', 'status').transport);
    await expect(call('credit', 'status', {})).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('makes idempotency keys the API accepts', () => {
    const a = newRequestId('repay');
    expect(a).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(newRequestId('repay')).not.toBe(a);
  });
});

describe('local transport (wx.request to the gateway)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('POSTs JSON to /api/<function> with X-Openid of the chosen demo user', async () => {
    setOpenid('demo_thin');
    const request = jest.spyOn(wx, 'request').mockImplementation(((opts: RequestOptions) => {
      opts.success?.({ statusCode: 200, data: { ok: true, data: fx.statusOpen } } as never);
    }) as never);
    const env = await localTransport('credit', { action: 'status' });
    expect(env).toEqual({ ok: true, data: fx.statusOpen });
    const opts = request.mock.calls[0][0] as RequestOptions;
    expect(opts.url).toBe(`${config.gatewayUrl}/api/credit`);
    expect(opts.method).toBe('POST');
    expect(opts.data).toEqual({ action: 'status' });
    expect(opts.header).toMatchObject({ 'X-Openid': 'demo_thin', 'content-type': 'application/json' });
  });

  it('passes a 400 envelope through (a refusal is an answer) and rejects on network failure', async () => {
    const refusal = { ok: false, error: { code: 'INVALID_INPUT', message: '金额格式不正确' } };
    jest.spyOn(wx, 'request').mockImplementationOnce(((opts: RequestOptions) => {
      opts.success?.({ statusCode: 400, data: refusal } as never);
    }) as never);
    await expect(localTransport('bill', { action: 'quote' })).resolves.toEqual(refusal);

    jest.spyOn(wx, 'request').mockImplementationOnce(((opts: RequestOptions) => {
      opts.success?.({ statusCode: 502, data: '<html>Bad Gateway</html>' } as never);
    }) as never);
    await expect(localTransport('bill', { action: 'quote' })).rejects.toMatchObject({ code: 'BAD_RESPONSE' });

    jest.spyOn(wx, 'request').mockImplementationOnce(((opts: RequestOptions) => {
      opts.fail?.({ errMsg: 'request:fail' } as never);
    }) as never);
    await expect(localTransport('bill', { action: 'quote' })).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
    });
  });
});

describe('cloud transport (wx.cloud.callFunction)', () => {
  const w = wx as unknown as { cloud?: unknown };
  afterEach(() => {
    delete w.cloud;
  });

  it('calls the function by name with the payload; the openid is not sent', async () => {
    const callFunction = jest.fn((opts: { success: (r: unknown) => void }) =>
      opts.success({ result: { ok: true, data: fx.inbox } }),
    );
    w.cloud = { callFunction };
    const env = await cloudTransport('inbox', { action: 'list' });
    expect(env).toEqual({ ok: true, data: fx.inbox });
    expect(callFunction).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'inbox', data: { action: 'list' } }),
    );
  });

  it('is what call() uses in cloud mode', async () => {
    w.cloud = {
      callFunction: (opts: { success: (r: unknown) => void }) =>
        opts.success({
          result: { ok: false, error: { code: 'FORBIDDEN', message: '沙盒仅在本地环境可用' } },
        }),
    };
    config.mode = 'cloud';
    try {
      await expect(call('sandbox', 'runScheduler', {})).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: '沙盒仅在本地环境可用',
      });
    } finally {
      config.mode = 'local';
    }
  });
});

describe('format', () => {
  it('formats money strings without touching floats', () => {
    expect(formatMoney('1234567.80')).toBe('1,234,567.80');
    expect(formatMoney('0.05')).toBe('0.05');
    expect(toFen('7300.00')).toBe(730000);
    expect(isMoneyInput('12.5')).toBe(true);
    expect(isMoneyInput('0')).toBe(false);
    expect(isMoneyInput('1e3')).toBe(false);
    expect(isMoneyInput('10000000.01')).toBe(false);
    expect(normalizeMoney('012.5')).toBe('12.50');
  });

  it('reads dates in Shanghai time whatever the phone zone', () => {
    expect(formatDay('2025-02-10T23:59:59+08:00')).toBe('2月10日');
    expect(formatDateTime('2025-02-10T23:59:59+08:00')).toBe('2025-02-10 23:59');
  });
});
