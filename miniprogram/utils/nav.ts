/** Page paths, in one place. */
export const PAGES = {
  home: '/pages/home/index',
  open: '/pages/open/index',
  quota: '/pages/quota/index',
  checkout: '/pages/checkout/index',
  bills: '/pages/bills/index',
  billDetail: '/pages/bill-detail/index',
  repay: '/pages/repay/index',
  installment: '/pages/installment/index',
  risk: '/pages/risk/index',
  inbox: '/pages/inbox/index',
  sandbox: '/pages/sandbox/index',
} as const;

export type PageName = keyof typeof PAGES;

export function go(page: PageName, query: Record<string, string> = {}): void {
  const qs = Object.keys(query)
    .map((k) => `${k}=${encodeURIComponent(query[k])}`)
    .join('&');
  wx.navigateTo({ url: qs ? `${PAGES[page]}?${qs}` : PAGES[page] });
}

/** Read the `data-*` of the tapped element. */
export function dataset<T = string>(e: WechatMiniprogram.BaseEvent, key: string): T {
  return (e.currentTarget.dataset as Record<string, T>)[key];
}
