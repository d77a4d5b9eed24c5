#!/usr/bin/env node
/**
 * What WeChat DevTools' 「工具 → 构建 npm」 does, scripted so the project opens without a manual step:
 * every runtime dependency that ships a mini program build (a "miniprogram" field in its package.json,
 * e.g. tdesign-miniprogram → miniprogram_dist) is copied to miniprogram/miniprogram_npm/<name>.
 * Runs from `npm install` (postinstall) and before the scripts that need it (screenshots, preview, the
 * pages tests' globalSetup). miniprogram_npm is git-ignored: it is a build output.
 *
 *   node scripts/build-mp-npm.js          copy when missing or out of date
 *   node scripts/build-mp-npm.js --force  always copy
 */
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'miniprogram', 'miniprogram_npm');

function miniprogramPackages() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const found = [];
  for (const name of Object.keys(pkg.dependencies || {})) {
    const dir = path.join(root, 'node_modules', name);
    const manifest = path.join(dir, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const dep = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    if (!dep.miniprogram) continue;
    found.push({ name, version: dep.version, src: path.join(dir, dep.miniprogram) });
  }
  return found;
}

function build({ force = false, quiet = false } = {}) {
  const packages = miniprogramPackages();
  if (packages.length === 0) {
    if (!quiet)
      console.warn('[build-mp-npm] no mini program packages installed (run npm install); nothing copied');
    return [];
  }
  const copied = [];
  for (const { name, version, src } of packages) {
    const dest = path.join(outDir, name);
    const stamp = path.join(dest, '.fenfu-build');
    const wanted = `${name}@${version}`;
    if (!force && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) continue;
    fs.rmSync(dest, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    // Type declarations are for editors only; DevTools would not upload them either.
    fs.cpSync(src, dest, { recursive: true, filter: (file) => !file.endsWith('.d.ts') });
    fs.writeFileSync(stamp, wanted);
    copied.push(wanted);
  }
  if (!quiet) {
    console.log(
      copied.length
        ? `[build-mp-npm] copied ${copied.join(', ')} → miniprogram/miniprogram_npm`
        : '[build-mp-npm] miniprogram/miniprogram_npm is up to date',
    );
  }
  return copied;
}

module.exports = { build };

if (require.main === module) {
  try {
    build({ force: process.argv.includes('--force') });
  } catch (err) {
    // Never break `npm install` for the server side: report and let the caller carry on.
    console.error(`[build-mp-npm] failed: ${err.message}`);
    process.exitCode = process.argv.includes('--strict') ? 1 : 0;
  }
}
