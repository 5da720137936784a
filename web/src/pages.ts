// The console's pages: operations (board, map, side panel), units (status board), monitoring and
// early warning, CAP alerts, information reports, plans, audit, people. Only the pages the signed-in person may see exist for them; the location hash (#units,
// #audit …) picks one; what follows a slash (#plans/441200-PLN-1) is the page's own sub-path.
import type { MessageKey } from './i18n';

export type PageId = 'ops' | 'units' | 'monitoring' | 'alerts' | 'reports' | 'plans' | 'audit' | 'people';

interface Page {
  id: PageId;
  label: MessageKey;
  el: HTMLElement;
  init?: () => void; // run on first show
  shown?: (sub: string) => void; // run on every show, with the hash's sub-path ('' when none)
}

const pages: Page[] = [];
let currentId: PageId | null = null;
const listeners: Array<() => void> = [];

export function addPage(p: Page): void {
  p.el.hidden = true;
  pages.push(p);
}

export function visiblePages(): ReadonlyArray<{ id: PageId; label: MessageKey }> {
  return pages;
}

export function currentPage(): PageId | null {
  return currentId;
}

export function onPageChange(fn: () => void): void {
  listeners.push(fn);
}

export function showPage(id: PageId, sub = ''): void {
  const found = pages.find((p) => p.id === id);
  const page = found ?? pages[0];
  if (!page) return;
  if (!found) sub = '';
  const want = sub ? `${page.id}/${sub}` : page.id;
  if (location.hash.slice(1) !== want && !(page.id === 'ops' && location.hash === '')) history.replaceState(null, '', `#${want}`);
  currentId = page.id;
  for (const p of pages) p.el.hidden = p !== page;
  if (page.init) {
    const init = page.init;
    page.init = undefined;
    init();
  }
  page.shown?.(sub);
  for (const l of listeners) l();
}

/** Shows the page the hash names (or the first one) and follows later hash changes. */
export function startPages(): void {
  const fromHash = () => {
    const [id, ...rest] = location.hash.slice(1).split('/');
    showPage((id as PageId) || (pages[0]?.id ?? 'ops'), rest.join('/'));
  };
  window.addEventListener('hashchange', fromHash);
  fromHash();
}
