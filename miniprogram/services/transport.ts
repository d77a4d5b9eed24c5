/**
 * The edge of the service layer: moves one `{ action, ...params }` payload to a cloud function and
 * brings back its envelope. Two implementations, chosen by config.mode; tests replace it with a fake
 * (services/api.ts `setTransport`), so everything above this line runs for real in the tests.
 */
import type { Envelope, FunctionName } from '../../typings/api';
import { config } from '../config';
import { currentOpenid } from './session';

export type Payload = { action: string } & Record<string, unknown>;
export type Transport = (fn: FunctionName, payload: Payload) => Promise<Envelope<unknown>>;

/** Raised by a transport when no envelope came back at all (network down, gateway not started…). */
export class TransportError extends Error {
  constructor(
    message: string,
    public readonly code: 'NETWORK_ERROR' | 'BAD_RESPONSE',
  ) {
    super(message);
    this.name = 'TransportError';
    Object.setPrototypeOf(this, TransportError.prototype);
  }
}

/** By name, not instanceof: survives ES5 class compilation and duplicated module instances. */
export function isTransportError(err: unknown): err is TransportError {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'TransportError';
}

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: unknown };
  if (v.ok === true) return 'data' in v;
  return v.ok === false && typeof v.error === 'object' && v.error !== null;
}

/** Local mode: POST <gateway>/api/<function>, identity in X-Openid. */
export const localTransport: Transport = (fn, payload) =>
  new Promise((resolve, reject) => {
    wx.request({
      url: `${config.gatewayUrl}/api/${fn}`,
      method: 'POST',
      data: payload,
      header: { 'content-type': 'application/json', 'X-Openid': currentOpenid() },
      timeout: 15000,
      success: (res) => {
        // The gateway answers 4xx with an envelope too: those are refusals, not transport failures.
        if (isEnvelope(res.data)) resolve(res.data);
        else reject(new TransportError(`服务返回了无法识别的内容（HTTP ${res.statusCode}）`, 'BAD_RESPONSE'));
      },
      fail: () =>
        reject(
          new TransportError(`无法连接本地服务 ${config.gatewayUrl}，请先运行 npm start`, 'NETWORK_ERROR'),
        ),
    });
  });

/** Cloud mode: wx.cloud.callFunction; the openid comes from the WeChat context, never from us. */
export const cloudTransport: Transport = (fn, payload) =>
  new Promise((resolve, reject) => {
    if (!wx.cloud) {
      reject(new TransportError('当前基础库不支持云开发，请升级微信', 'NETWORK_ERROR'));
      return;
    }
    wx.cloud.callFunction({
      name: fn,
      data: payload,
      success: (res) => {
        if (isEnvelope(res.result)) resolve(res.result);
        else reject(new TransportError('云函数返回了无法识别的内容', 'BAD_RESPONSE'));
      },
      fail: () => reject(new TransportError('网络异常，请稍后再试', 'NETWORK_ERROR')),
    });
  });

export function defaultTransport(): Transport {
  return config.mode === 'cloud' ? cloudTransport : localTransport;
}
