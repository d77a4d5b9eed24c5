/**
 * Renders a page (a Component()) with miniprogram-simulate from its real WXML/WXSS and JSON — TDesign
 * components included, loaded from the copied miniprogram/miniprogram_npm — behind a FakeApi transport.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as simulate from 'miniprogram-simulate';
import { setTransport } from '../../../miniprogram/services/api';
import type { FakeApi } from './fake-api';

export const MP_ROOT = path.resolve(__dirname, '../../../miniprogram');

// A loaded machine (two cores shared with the server's tests) can make a first render slow.
jest.setTimeout(20000);

/**
 * The templates the official compiler (wcc) needs: our pages and components, the TDesign components
 * they use, and the templates and WXS those import — not all ~300 templates of miniprogram_npm
 * (compiling them all costs a second or more per test file).
 */
function templateClosure(): { wxmlList: string[]; wxsList: string[] } {
  const wxml = new Set<string>();
  const wxs = new Set<string>();
  const components: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'miniprogram_npm') walk(full);
      } else if (entry.name.endsWith('.json') && fs.existsSync(full.replace(/\.json$/, '.wxml'))) {
        components.push(full.replace(/\.json$/, ''));
      }
    }
  };
  walk(MP_ROOT);
  const seen = new Set<string>();
  while (components.length > 0) {
    const comp = components.pop() as string;
    if (seen.has(comp)) continue;
    seen.add(comp);
    const json = JSON.parse(fs.readFileSync(`${comp}.json`, 'utf8')) as {
      usingComponents?: Record<string, string>;
    };
    for (const ref of Object.values(json.usingComponents ?? {})) {
      const target = ref.startsWith('/') ? path.join(MP_ROOT, ref) : path.resolve(path.dirname(comp), ref);
      if (fs.existsSync(`${target}.json`)) components.push(target);
    }
    const files = [`${comp}.wxml`];
    while (files.length > 0) {
      const file = files.pop() as string;
      const rel = path.relative(MP_ROOT, file).replace(/\\/g, '/');
      if (wxml.has(rel) || wxs.has(rel) || !fs.existsSync(file)) continue;
      if (file.endsWith('.wxs')) {
        wxs.add(rel);
        continue;
      }
      wxml.add(rel);
      const source = fs.readFileSync(file, 'utf8');
      for (const m of source.matchAll(/<(import|include|wxs)\b[^>]*\ssrc="([^"]+)"/g)) {
        const ext = m[1] === 'wxs' ? '.wxs' : '.wxml';
        let dep = m[2].startsWith('/') ? path.join(MP_ROOT, m[2]) : path.resolve(path.dirname(file), m[2]);
        if (!dep.endsWith(ext)) dep += ext;
        files.push(dep);
      }
    }
  }
  return { wxmlList: [...wxml], wxsList: [...wxs] };
}

let compilerOptions: { wxmlList: string[]; wxsList: string[] } | null = null;
const ids = new Map<string, string>();

/**
 * Load a page once per test file. One page per file: miniprogram-simulate registers a component by
 * running its JS, and jest's module registry runs a file only once, so TDesign components loaded for a
 * first page would be missing from a second page loaded in the same file (the screenshots reset the
 * registry between pages for that reason).
 */
export function loadPage(name: string): string {
  let id = ids.get(name);
  if (!id) {
    compilerOptions ??= templateClosure();
    id = simulate.load(path.join(MP_ROOT, 'pages', name, 'index'), { rootPath: MP_ROOT, compilerOptions });
    ids.set(name, id);
  }
  return id;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Page = simulate.RootComponent<any, any, any>;

/** Let pending promises and setData settle. */
export async function flush(times = 3): Promise<void> {
  for (let i = 0; i < times; i++) await simulate.sleep(0);
}

export async function mount(name: string, api: FakeApi, query: Record<string, string> = {}): Promise<Page> {
  setTransport(api.transport);
  const page = simulate.render(loadPage(name)) as Page;
  page.attach(document.createElement('parent-wrapper'));
  // Page lifecycles of a Component()-page live in its methods; the runtime calls them, so do we.
  const inst = page.instance as { onLoad?: (q: Record<string, string>) => unknown; onShow?: () => unknown };
  inst.onLoad?.(query);
  await flush();
  return page;
}

/**
 * The visible text of the page: text nodes joined by a space (so "最低还款" and "128.65" in two cells read
 * "最低还款 128.65"), with money split for display glued back ("¥ 6,013 .50" → "¥6,013.50").
 */
export function text(page: Page): string {
  const parts: string[] = [];
  const walker = document.createTreeWalker(page.dom ?? document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) parts.push(n.textContent ?? '');
  return parts
    .join(' ')
    .replace(/\s+/g, ' ')
    .replace(/(\d) \.(\d)/g, '$1.$2')
    .replace(/¥ /g, '¥')
    .trim();
}

type Node = NonNullable<ReturnType<Page['querySelector']>>;

/**
 * Find an element; `a >>> b` descends into a custom component's shadow tree (our own components, or
 * TDesign's). TDesign components are virtual hosts (no DOM node of their own), so a tap goes to the
 * element inside them that the user would touch, and custom events come from the component instance,
 * exactly as TDesign emits them (triggerEvent).
 */
function find(page: Page, selector: string): Node {
  let node: Node | undefined = page as unknown as Node;
  for (const part of selector.split(' >>> ')) {
    node = node?.querySelector(part.trim());
  }
  if (!node) throw new Error(`no element matches ${selector}`);
  return node;
}

export function exists(page: Page, selector: string): boolean {
  try {
    find(page, selector);
    return true;
  } catch {
    return false;
  }
}

/** What a finger touches inside each TDesign component we use. */
const TOUCH_TARGETS = ['.t-button', '.t-cell', '.t-checkbox', '.t-switch__body', '.t-radio'];

export async function tap(page: Page, selector: string): Promise<void> {
  let node = find(page, selector);
  if (!node.dom) {
    const inner = TOUCH_TARGETS.map((s) => node.querySelector(s)).find((n) => n?.dom);
    if (!inner) throw new Error(`${selector} has nothing to tap`);
    node = inner;
  }
  node.dispatchEvent('tap');
  await flush();
}

/** Fire a component event (TDesign's change / blur …) with its detail, as the component would. */
export async function fire(page: Page, selector: string, event: string, detail: unknown): Promise<void> {
  const node = find(page, selector);
  const inst = node.instance as { triggerEvent?: (name: string, detail: unknown) => void } | undefined;
  if (inst?.triggerEvent) inst.triggerEvent(event, detail);
  else node.dispatchEvent(event, { detail });
  await flush();
}

export function all(page: Page, selector: string): Node[] {
  return page.querySelectorAll(selector) as Node[];
}
