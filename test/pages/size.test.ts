/** The mini program's own code (everything but the npm packages in miniprogram_npm) stays under 400 KB. */
import * as fs from 'fs';
import * as path from 'path';
import { MP_ROOT } from './support/harness';

const LIMIT = 400 * 1024;

function size(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'miniprogram_npm' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? size(full) : fs.statSync(full).size;
  }
  return total;
}

it('miniprogram/ without miniprogram_npm is under 400 KB', () => {
  const bytes = size(MP_ROOT);
  expect(bytes).toBeGreaterThan(10 * 1024);
  expect(bytes).toBeLessThan(LIMIT);
});

it('every page of app.json exists with its four files and is a Component()', () => {
  const app = JSON.parse(fs.readFileSync(path.join(MP_ROOT, 'app.json'), 'utf8')) as { pages: string[] };
  expect(app.pages).toHaveLength(11);
  for (const page of app.pages) {
    for (const ext of ['ts', 'wxml', 'wxss', 'json']) {
      expect(fs.existsSync(path.join(MP_ROOT, `${page}.${ext}`))).toBe(true);
    }
    expect(fs.readFileSync(path.join(MP_ROOT, `${page}.ts`), 'utf8')).toMatch(/^Component\(\{/m);
  }
});
