// The console's pages: operations (board, map, side panel), units (status board), audit, people.
// Only the pages the signed-in person may see exist for them; the location hash (#units, #audit …)
// picks one.
import type { MessageKey } from './i18n';

export type PageId = 'ops' | 'units' | 'audit' | 'people';

interface Page {
  id: PageId;
  label: MessageKey;
  el: HTMLElement;
  init?: () => void; // run on first show
  shown?: () => void; // run on every show
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

export function showPage(id: PageId): void {
  const page = pages.find((p) => p.id === id) ?? pages[0];
  if (!page) return;
  if (location.hash.slice(1) !== page.id && !(page.id === 'ops' && location.hash === '')) history.replaceState(null, '', `#${page.id}`);
  currentId = page.id;
  for (const p of pages) p.el.hidden = p !== page;
  if (page.init) {
    const init = page.init;
    page.init = undefined;
    init();
  }
  page.shown?.();
  for (const l of listeners) l();
}

/** Shows the page the hash names (or the first one) and follows later hash changes. */
export function startPages(): void {
  const fromHash = () => showPage((location.hash.slice(1) as PageId) || (pages[0]?.id ?? 'ops'));
  window.addEventListener('hashchange', fromHash);
  fromHash();
}
