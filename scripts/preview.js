#!/usr/bin/env node
/**
 * npm run preview — a QR code to open the mini program on a phone (WeChat 预览), through miniprogram-ci.
 *
 * Needs, from 微信公众平台 (mp.weixin.qq.com → 开发 → 开发管理 → 开发设置 → 小程序代码上传):
 *   MP_APPID              the real appid (project.config.json keeps the placeholder "touristappid")
 *   MP_PRIVATE_KEY_PATH   the downloaded upload key (default: ./private.<appid>.key, never commit it)
 *   this machine's public IP in the upload IP whitelist, and internet access to WeChat's servers.
 * Optional: MP_QRCODE=path.png writes the QR code to an image instead of the terminal.
 *
 * In local mode the phone must reach the gateway: set config.ts gatewayUrl to the computer's LAN address
 * (http://192.168.x.y:3000) and turn off domain checks in the phone's debug mode, or use cloud mode.
 */
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

function fail(zh, en) {
  console.error(`\n✖ ${zh}\n  ${en}\n`);
  process.exit(1);
}

/** Everything that can be checked offline; returns what preview needs, or exits with the reason. */
function checkConfig(env = process.env) {
  const projectConfig = JSON.parse(fs.readFileSync(path.join(root, 'project.config.json'), 'utf8'));
  const appid = (env.MP_APPID || projectConfig.appid || '').trim();
  if (!appid || appid === 'touristappid' || !/^wx[0-9a-f]{16}$/i.test(appid)) {
    fail(
      '未配置小程序 appid：请设置环境变量 MP_APPID=wx…（在微信公众平台 → 开发管理 → 开发设置中查看）。',
      'No mini program appid configured: set MP_APPID=wx… (mp.weixin.qq.com → Development → Settings). ' +
        'project.config.json only holds the placeholder "touristappid".',
    );
  }
  const keyPath = path.resolve(root, env.MP_PRIVATE_KEY_PATH || `private.${appid}.key`);
  if (!fs.existsSync(keyPath)) {
    fail(
      `找不到代码上传密钥 ${path.relative(root, keyPath)}：请在微信公众平台 → 开发管理 → 开发设置 → 小程序代码上传中下载密钥，并把本机公网 IP 加入白名单，然后设置 MP_PRIVATE_KEY_PATH。`,
      `Upload key not found at ${path.relative(root, keyPath)}: download it from mp.weixin.qq.com (Development → ` +
        "Settings → Code upload), whitelist this machine's public IP there, and set MP_PRIVATE_KEY_PATH.",
    );
  }
  const configTs = fs.readFileSync(path.join(root, 'miniprogram', 'config.ts'), 'utf8');
  if (/mode:\s*'local'/.test(configTs) && /127\.0\.0\.1|localhost/.test(configTs)) {
    console.warn(
      '⚠ 本地模式的网关地址是 127.0.0.1，手机无法访问：请改为电脑的局域网地址，或使用云开发模式。\n' +
        '  Local mode points at 127.0.0.1, which a phone cannot reach: use the LAN address or cloud mode.',
    );
  }
  return { appid, keyPath };
}

async function main() {
  const { appid, keyPath } = checkConfig();
  require('./build-mp-npm').build();
  let ci;
  try {
    ci = require('miniprogram-ci');
  } catch {
    fail('未安装 miniprogram-ci：请运行 npm install。', 'miniprogram-ci is not installed: run npm install.');
  }
  const project = new ci.Project({
    appid,
    type: 'miniProgram',
    projectPath: root,
    privateKeyPath: keyPath,
    ignores: ['node_modules/**/*', 'cloudfunctions/**/*', 'test/**/*', 'docs/**/*', '.tmp/**/*'],
  });
  const qrcode = process.env.MP_QRCODE;
  try {
    await ci.preview({
      project,
      desc: `分付 预览 ${new Date().toISOString()}`,
      setting: { useProjectConfig: true },
      qrcodeFormat: qrcode ? 'image' : 'terminal',
      qrcodeOutputDest: qrcode ? path.resolve(qrcode) : undefined,
      robot: 1,
      onProgressUpdate: (task) => {
        if (typeof task === 'string') console.log(task);
        else if (task && task.status === 'done') console.log(`✓ ${task.message}`);
      },
    });
    console.log(
      qrcode
        ? `二维码已写入 QR code written to ${qrcode}`
        : '用微信扫描上方二维码预览 Scan the QR code above with WeChat.',
    );
  } catch (err) {
    const msg = String((err && err.message) || err);
    if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ECONNRESET|socket hang up|network/i.test(msg)) {
      fail(
        `无法连接微信服务器，预览需要联网（${msg}）。`,
        `Cannot reach WeChat's servers: preview needs internet access (${msg}).`,
      );
    }
    if (/ip|whitelist|白名单|invalid ip/i.test(msg)) {
      fail(
        `本机 IP 不在代码上传白名单中（${msg}）。`,
        `This machine's IP is not in the upload whitelist (${msg}).`,
      );
    }
    fail(`预览失败：${msg}`, `Preview failed: ${msg}`);
  }
}

module.exports = { checkConfig };

if (require.main === module) {
  main();
}
