/**
 * The product speaks to the user in one voice, WeChat Pay's: 你, never 您. The pages always did;
 * refusals, inbox messages and quota tips come from the functions and show on the same screens.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'miniprogram_npm') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(full, out);
    else if (/\.(ts|wxml|json)$/.test(entry.name)) out.push(full);
  }
  return out;
}

describe('tone of user-facing text', () => {
  it.each(['cloudfunctions/src', 'miniprogram'])('%s addresses the user as 你, never 您', (dir) => {
    const files = sources(path.join(ROOT, dir));
    expect(files.length).toBeGreaterThan(10);
    const formal = files
      .flatMap((f) =>
        fs
          .readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ at: `${path.relative(ROOT, f)}:${i + 1}`, line }))
          .filter(({ line }) => line.includes('您')),
      )
      .map(({ at, line }) => `${at}: ${line.trim()}`);
    expect(formal).toEqual([]);
  });
});
