/**
 * Globals the mini program runtime provides and miniprogram-simulate does not: getApp() (TDesign's
 * components read it in their constructor), getCurrentPages(), and a storage that keeps what is stored
 * (simulate's wx.setStorageSync is a no-op; the demo-user switch and 还款提醒 rely on it).
 */
require('miniprogram-simulate'); // defines the global `wx`

const app = { globalData: {} };
global.getApp = () => app;
global.getCurrentPages = () => [];

const store = new Map();
Object.assign(global.wx, {
  setStorageSync: (key, value) => void store.set(key, value),
  getStorageSync: (key) => (store.has(key) ? store.get(key) : ''),
  removeStorageSync: (key) => void store.delete(key),
  clearStorageSync: () => store.clear(),
});
