/**
 * Renders every shot of shots.ts to a standalone HTML file (the page's DOM as miniprogram-simulate built
 * it, with the WXSS it injected) for scripts/screenshots.js to photograph. rpx are converted for a
 * 375 px wide screen (1 rpx = 0.5 px), as on an iPhone 8/X.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SHOTS } from './shots';
import { MP_ROOT } from '../support/harness';

type Harness = typeof import('../support/harness');
type Shots = typeof import('./shots');

/**
 * A fresh module registry per shot: miniprogram-simulate registers a component by running its JS once
 * (it deletes require.cache to run it again, which jest's registry ignores), so a second page loaded in
 * the same registry would find the TDesign components of the first one unregistered.
 */
function fresh(): { harness: Harness; shots: Shots } {
  jest.resetModules();
  /* eslint-disable @typescript-eslint/no-require-imports */
  const simulateUtils = require('miniprogram-simulate/src/utils') as {
    transformRpx: (css: string) => string;
  };
  // miniprogram-simulate turns 1rpx into 1px (a 750 px screen); photograph a 375 px phone instead.
  simulateUtils.transformRpx = (css) =>
    css.replace(/(-?\d*\.?\d+)rpx/g, (_m, n: string) => `${Number((Number(n) / 2).toFixed(2))}px`);
  return { harness: require('../support/harness') as Harness, shots: require('./shots') as Shots };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

interface WxNode {
  ownerShadowRoot?: { __wxHost?: unknown };
}

/**
 * Native inputs keep their value in the runtime, not in the DOM: copy TDesign's input/textarea value (or
 * placeholder) onto the element so the photograph shows what the user typed.
 */
function showInputValues(root: Element): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exparser = require('miniprogram-exparser') as {
    Element: { getMethodCaller(node: unknown): { data?: { value?: unknown; placeholder?: unknown } } | null };
  };
  for (const el of Array.from(root.querySelectorAll('wx-input, wx-textarea'))) {
    const node = (el as unknown as { __wxElement?: WxNode }).__wxElement;
    const host = node?.ownerShadowRoot?.__wxHost;
    const data = host ? exparser.Element.getMethodCaller(host)?.data : undefined;
    const value = data?.value == null ? '' : String(data.value);
    el.setAttribute('data-shot-value', value);
    el.setAttribute('data-shot-placeholder', data?.placeholder == null ? '' : String(data.placeholder));
  }
}

const OUT = process.env.SHOTS_HTML_DIR ?? path.resolve(__dirname, '../../../.tmp/screenshots');

/** What the WeChat runtime gives every element; custom elements are inline in a browser. */
const BASE_CSS = `
html, body { margin: 0; padding: 0; background: #ededed; -webkit-font-smoothing: antialiased; }
body { font-family: -apple-system, 'PingFang SC', 'Noto Sans CJK SC', sans-serif; width: 375px; }
wx-view, wx-scroll-view, wx-swiper, wx-form, wx-input, wx-textarea, wx-button, main { display: block; }
wx-text, wx-label { display: inline; }
wx-image { display: inline-block; overflow: hidden; }
wx-button { position: relative; box-sizing: border-box; text-align: center; border: 0; }
/* The runtime draws a button's border with a half-scaled ::after (TDesign sets its colour and width). */
wx-button::after { content: ' '; position: absolute; top: 0; left: 0; width: 200%; height: 200%; box-sizing: border-box;
  border: 1px solid rgba(0,0,0,.2); border-radius: inherit; transform: scale(.5); transform-origin: 0 0; pointer-events: none; }
wx-input { min-height: 1.4em; }
/* The nav bar takes 64px of the phone screen. */
main > .main--page { min-height: calc(100vh - 64px) !important; }
.nav { position: sticky; top: 0; z-index: 10; height: 64px; box-sizing: border-box; padding-top: 20px; background: #ededed;
  display: flex; align-items: center; justify-content: center; font: 500 17px -apple-system, 'Noto Sans CJK SC', sans-serif; color: rgba(0,0,0,.9); }
.nav .back { position: absolute; left: 12px; top: 30px; width: 10px; height: 10px; border-left: 2px solid rgba(0,0,0,.9);
  border-bottom: 2px solid rgba(0,0,0,.9); transform: rotate(45deg); }
.nav .capsule { position: absolute; right: 7px; top: 26px; width: 87px; height: 32px; box-sizing: border-box; border-radius: 16px;
  border: 0.5px solid rgba(0,0,0,.12); background: rgba(255,255,255,.6); }
.nav .capsule::before { content: '•••'; position: absolute; left: 12px; top: 6px; font-size: 12px; letter-spacing: 1px; }
.nav .capsule::after { content: ''; position: absolute; right: 13px; top: 8px; width: 13px; height: 13px; border-radius: 50%;
  border: 2px solid rgba(0,0,0,.85); box-sizing: border-box; }
wx-input::before, wx-textarea::before { content: attr(data-shot-value); }
wx-input[data-shot-value='']::before, wx-textarea[data-shot-value='']::before { content: attr(data-shot-placeholder); color: rgba(0,0,0,.3); }
wx-textarea { min-height: 60px; white-space: pre-wrap; }
/* TDesign's icon font is downloaded at runtime; offline, draw the few glyphs we rely on. */
.t-icon--t-icon-check-circle-filled::before, .t-icon--t-icon-circle::before { content: ''; display: inline-block; box-sizing: border-box;
  width: 1em; height: 1em; border-radius: 50%; vertical-align: -0.15em; }
.t-icon--t-icon-check-circle-filled::before { background: #07c160
  url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Cpath d='M6 12.5l4 4 8-9' fill='none' stroke='white' stroke-width='3'/%3E%3C/svg%3E") center/70% no-repeat; }
.t-icon--t-icon-circle::before { border: 1.5px solid rgba(0,0,0,.3); }
.t-icon--t-icon-chevron-right::before { content: ''; display: inline-block; width: 7px; height: 7px; margin-right: 4px;
  border-top: 1.5px solid rgba(0,0,0,.3); border-right: 1.5px solid rgba(0,0,0,.3); transform: rotate(45deg); }
`;

function title(page: string): string {
  const json = JSON.parse(fs.readFileSync(path.join(MP_ROOT, 'pages', page, 'index.json'), 'utf8')) as {
    navigationBarTitleText?: string;
  };
  return json.navigationBarTitleText ?? '';
}

describe('screenshots', () => {
  beforeAll(() => fs.mkdirSync(OUT, { recursive: true }));

  for (const shot of SHOTS) {
    it(shot.name, async () => {
      document.head.innerHTML = '';
      const { harness, shots } = fresh();
      const spec = shots.SHOTS.find((s) => s.name === shot.name) ?? shot;
      const page = await harness.mount(spec.page, spec.api(), spec.query ?? {});
      if (spec.act) await spec.act(page);
      if (page.dom) showInputValues(page.dom);
      const styles = Array.from(document.head.querySelectorAll('style'))
        .map((s) => s.outerHTML)
        .join('\n');
      const back = shot.page === 'home' ? '' : '<div class="back"></div>';
      const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=375">
<style>${BASE_CSS}</style>${styles}</head><body><div class="nav">${back}${title(shot.page)}<div class="capsule"></div></div>
${page.dom?.outerHTML ?? ''}</body></html>`;
      fs.writeFileSync(path.join(OUT, `${shot.name}.html`), html);
      page.detach();
    });
  }

  afterAll(() => {
    const manifest = SHOTS.map(({ name, page, caption }) => ({ name, page, caption }));
    fs.writeFileSync(path.join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 2));
  });
});
