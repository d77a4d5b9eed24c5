// App entry. Where the mini program talks to (local gateway or CloudBase) is decided in config.ts and
// applied by the service layer (services/transport.ts); cloud mode needs wx.cloud initialised once here.
import { config } from './config';

App({
  onLaunch() {
    if (config.mode === 'cloud') {
      if (!wx.cloud) {
        console.error('当前基础库不支持云开发，请使用 2.2.3 或以上的基础库');
        return;
      }
      wx.cloud.init({ env: config.envId, traceUser: true });
    }
  },
});
