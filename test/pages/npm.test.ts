/**
 * DevTools resolves a bare import inside miniprogram_npm from the enclosing miniprogram_npm folders
 * only, so every package a copied component imports must have been copied along.
 */
import fs from 'fs';
import path from 'path';

const npmDir = path.join(__dirname, '../../miniprogram/miniprogram_npm');

function jsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? jsFiles(p) : p.endsWith('.js') ? [p] : [];
  });
}

/** Like DevTools: look in each enclosing miniprogram_npm, from the importing file up to the root one. */
function resolves(from: string, name: string): boolean {
  for (let dir = from; dir.startsWith(npmDir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'miniprogram_npm', name))) return true;
  }
  return fs.existsSync(path.join(npmDir, name));
}

it('every bare import in miniprogram_npm resolves inside miniprogram_npm', () => {
  const missing = new Set<string>();
  for (const file of jsFiles(npmDir)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\brequire\(\s*)["']([@a-z0-9][\w@./-]*)["']/g)) {
      const name = m[1]!.startsWith('@') ? m[1]!.split('/').slice(0, 2).join('/') : m[1]!.split('/')[0]!;
      if (!resolves(path.dirname(file), name))
        missing.add(`${name} (imported by ${path.relative(npmDir, file)})`);
    }
  }
  expect([...missing]).toEqual([]);
});
