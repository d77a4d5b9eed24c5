/**
 * `npm run preview` needs WeChat's servers, an appid, an upload key and a whitelisted IP; what can be
 * checked offline is that it refuses clearly (Chinese and English) when they are missing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const script = path.resolve(__dirname, '../../scripts/preview.js');

function run(env: Record<string, string>) {
  const clean = { ...process.env };
  delete clean.MP_APPID;
  delete clean.MP_PRIVATE_KEY_PATH;
  return spawnSync(process.execPath, [script], {
    env: { ...clean, ...env },
    encoding: 'utf8',
    timeout: 30000,
  });
}

it('fails with a clear message when no appid is configured (project.config.json holds touristappid)', () => {
  const res = run({});
  expect(res.status).toBe(1);
  expect(res.stderr).toContain('未配置小程序 appid');
  expect(res.stderr).toContain('No mini program appid configured');
});

it('fails with a clear message when the upload key is missing', () => {
  const res = run({
    MP_APPID: 'wx1234567890abcdef',
    MP_PRIVATE_KEY_PATH: path.join(os.tmpdir(), 'no-such-key.key'),
  });
  expect(res.status).toBe(1);
  expect(res.stderr).toContain('找不到代码上传密钥');
  expect(res.stderr).toContain('Upload key not found');
  expect(fs.existsSync(path.join(os.tmpdir(), 'no-such-key.key'))).toBe(false);
});
