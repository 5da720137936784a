// The side panel's tabs: the alarm form (only for those who may report), the incident detail, and
// unit coverage (only for those who may see units).
import { h } from './dom';
import { applyStaticLabels, onLanguageChange } from './i18n';
import { onSelect } from './selection';

export type Tab = 'report' | 'detail' | 'coverage';
let current: Tab = 'report';
const panes = new Map<Tab, HTMLElement>();
const buttons = new Map<Tab, HTMLElement>();
const tabListeners: Array<(tab: Tab) => void> = [];

export interface SidePanes {
  report: HTMLElement | null;
  detail: HTMLElement;
  coverage: HTMLElement | null;
}

export function initSide(el: HTMLElement, withReport: boolean, withCoverage: boolean): SidePanes {
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const list: Tab[] = [...(withReport ? ['report' as const] : []), 'detail', ...(withCoverage ? ['coverage' as const] : [])];
  for (const tab of list) {
    const b = h('button', {
      type: 'button',
      class: 'tab',
      role: 'tab',
      'data-testid': `tab-${tab}`,
      'data-i18n': `tab.${tab}`,
      onclick: () => showTab(tab),
    });
    buttons.set(tab, b);
    tabs.append(b);
  }
  for (const tab of list) panes.set(tab, h('div', { class: 'pane', 'data-testid': `pane-${tab}` }));
  el.append(tabs, ...panes.values());
  applyStaticLabels(tabs);
  onLanguageChange(() => applyStaticLabels(tabs));
  onSelect(() => showTab('detail'));
  showTab(list[0]);
  return { report: panes.get('report') ?? null, detail: panes.get('detail')!, coverage: panes.get('coverage') ?? null };
}

/** fn(tab) each time a tab is shown. */
export function onTabChange(fn: (tab: Tab) => void): void {
  tabListeners.push(fn);
}

export function showTab(tab: Tab): void {
  if (!panes.has(tab)) return;
  current = tab;
  for (const [k, p] of panes) p.hidden = k !== tab;
  for (const [k, b] of buttons) b.classList.toggle('active', k === tab);
  for (const fn of tabListeners) fn(tab);
}

export function activeTab(): Tab {
  return current;
}
