/**
 * The mini program's code package as DevTools would upload it, measured from what is on disk:
 * with `ignoreUploadUnusedFiles`, only files reachable from app.json are uploaded, so this walks
 * the same graph — pages and components (usingComponents), their scripts' imports/requires,
 * WXML `<wxs>`/`<import>`/`<include>`, WXSS `@import` — through our own code and into
 * miniprogram_npm (the npm components actually used). TypeScript counts as the JavaScript
 * DevTools compiles it to, minified as `minified: true` uploads it (esbuild here); WXML, WXSS,
 * WXS and JSON count with comments and runs of whitespace removed; packOptions.ignore
 * (tsconfig.json, *.d.ts) is excluded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { transformSync } from 'esbuild';

export interface PackageSize {
  totalBytes: number;
  ownBytes: number;
  npmBytes: number;
  files: number;
  /** Imports that resolve to nothing on disk (DevTools would fail on them). */
  missing: string[];
}

const COMPONENT_EXTS = ['.json', '.wxml', '.wxss'];

export function miniprogramPackage(dir: string): PackageSize {
  const root = path.resolve(dir);
  const npmRoot = path.join(root, 'miniprogram_npm');
  const files = new Set<string>();
  const missing: string[] = [];
  const seenComponents = new Set<string>();

  const exists = (f: string) => fs.existsSync(f) && fs.statSync(f).isFile();
  /** A module path (with or without extension) → the file, trying .ts, .js and index files. */
  const resolveModule = (spec: string, fromDir: string): string | null => {
    const base = spec.startsWith('/')
      ? path.join(root, spec)
      : spec.startsWith('.')
        ? path.resolve(fromDir, spec)
        : path.join(npmRoot, spec);
    for (const candidate of [
      base,
      `${base}.ts`,
      `${base}.js`,
      path.join(base, 'index.ts'),
      path.join(base, 'index.js'),
    ]) {
      if (exists(candidate)) return candidate;
    }
    // A bare package name: its main file in miniprogram_npm.
    return null;
  };

  const addScript = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = fs.readFileSync(file, 'utf8');
    const specs = [
      ...text.matchAll(/\bfrom\s*["']([^"']+)["']/g),
      ...text.matchAll(/\bimport\s*["']([^"']+)["']/g),
      ...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1]!);
    for (const spec of specs) {
      if (file.endsWith('.ts') && /^import\s+type\b/m.test(text) && isTypeOnly(text, spec)) continue;
      const target = resolveModule(spec, path.dirname(file));
      if (target) addScript(target);
      else missing.push(`${path.relative(root, file)} → ${spec}`);
    }
  };

  const addMarkupDeps = (file: string) => {
    const text = fs.readFileSync(file, 'utf8');
    const dir = path.dirname(file);
    const refs = file.endsWith('.wxss')
      ? [...text.matchAll(/@import\s+["']([^"']+)["']/g)].map((m) => m[1]!)
      : [...text.matchAll(/<(?:wxs|import|include)\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]!);
    for (const ref of refs) {
      const target = ref.startsWith('/') ? path.join(root, ref) : path.resolve(dir, ref);
      const withExt = exists(target)
        ? target
        : [`${target}.wxml`, `${target}.wxss`, `${target}.wxs`].find(exists);
      if (!withExt) {
        missing.push(`${path.relative(root, file)} → ${ref}`);
        continue;
      }
      if (files.has(withExt)) continue;
      files.add(withExt);
      if (withExt.endsWith('.wxs')) {
        for (const m of fs.readFileSync(withExt, 'utf8').matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
          const dep = path.resolve(path.dirname(withExt), m[1]!);
          if (exists(dep)) files.add(dep);
        }
      } else {
        addMarkupDeps(withExt);
      }
    }
  };

  /** A page or component by its path without extension. */
  const addComponent = (base: string) => {
    if (seenComponents.has(base)) return;
    seenComponents.add(base);
    const script = [`${base}.ts`, `${base}.js`].find(exists);
    if (script) addScript(script);
    for (const ext of COMPONENT_EXTS) {
      const f = `${base}${ext}`;
      if (!exists(f)) continue;
      files.add(f);
      if (ext === '.json') {
        const json = JSON.parse(fs.readFileSync(f, 'utf8')) as { usingComponents?: Record<string, string> };
        for (const ref of Object.values(json.usingComponents ?? {})) {
          if (ref.startsWith('plugin://')) continue;
          const target = ref.startsWith('/')
            ? path.join(root, ref)
            : ref.startsWith('.')
              ? path.resolve(path.dirname(f), ref)
              : path.join(npmRoot, ref);
          addComponent(target);
        }
      } else {
        addMarkupDeps(f);
      }
    }
  };

  const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as {
    pages: string[];
    sitemapLocation?: string;
    usingComponents?: Record<string, string>;
    subpackages?: { root: string; pages: string[] }[];
  };
  addComponent(path.join(root, 'app'));
  for (const page of app.pages) addComponent(path.join(root, page));
  for (const sub of app.subpackages ?? [])
    for (const page of sub.pages) addComponent(path.join(root, sub.root, page));
  for (const ref of Object.values(app.usingComponents ?? {})) addComponent(path.join(root, ref));
  if (app.sitemapLocation) files.add(path.join(root, app.sitemapLocation));

  let ownBytes = 0;
  let npmBytes = 0;
  for (const f of files) {
    if (f.endsWith('.d.ts') || path.basename(f) === 'tsconfig.json') continue;
    const bytes = uploadedBytes(f);
    if (f.startsWith(npmRoot + path.sep)) npmBytes += bytes;
    else ownBytes += bytes;
  }
  return {
    totalBytes: ownBytes + npmBytes,
    ownBytes,
    npmBytes,
    files: files.size,
    missing: [...new Set(missing)],
  };
}

/** Whether every import of `spec` in this TypeScript file is `import type` (erased on compile). */
function isTypeOnly(text: string, spec: string): boolean {
  const escaped = spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const all = [...text.matchAll(new RegExp(`import\\s+(type\\s+)?[^;]*?from\\s*["']${escaped}["']`, 'g'))];
  return all.length > 0 && all.every((m) => m[1] !== undefined);
}

function uploadedBytes(file: string): number {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.ts') || file.endsWith('.js')) {
    const out = transformSync(text, {
      loader: file.endsWith('.ts') ? 'ts' : 'js',
      format: 'cjs',
      target: 'es2018',
      minify: true,
      charset: 'utf8',
    });
    return Buffer.byteLength(out.code);
  }
  if (file.endsWith('.json')) return Buffer.byteLength(JSON.stringify(JSON.parse(text)));
  const stripped = text
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ');
  return Buffer.byteLength(stripped.trim());
}
