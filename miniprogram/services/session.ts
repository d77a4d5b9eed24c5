/** Who the local gateway should take us for (X-Openid). Cloud mode ignores it: WeChat supplies the openid. */
import { config } from '../config';

const KEY = 'fenfu.openid';

export function currentOpenid(): string {
  try {
    const saved = wx.getStorageSync(KEY) as unknown;
    if (typeof saved === 'string' && saved !== '') return saved;
  } catch {
    // storage unavailable: fall back to the default demo user
  }
  return config.defaultOpenid;
}

export function setOpenid(openid: string): void {
  wx.setStorageSync(KEY, openid);
}
