// The side panel's tabs: the alarm form (only for those who may report) and the incident detail.
import { h } from './dom';
import { applyStaticLabels, onLanguageChange } from './i18n';
import { onSelect } from './selection';

export type Tab = 'report' | 'detail';
let current: Tab = 'report';
const panes = new Map<Tab, HTMLElement>();
const buttons = new Map<Tab, HTMLElement>();

export function initSide(el: HTMLElement, withReport: boolean): { report: HTMLElement | null; detail: HTMLElement } {
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const list: Tab[] = withReport ? ['report', 'detail'] : ['detail'];
  for (const tab of list) {
    const b = h('button', {
      type: 'button',
      class: 'tab',
      role: 'tab',
      'data-testid': `tab-${tab}`,
      'data-i18n': tab === 'report' ? 'tab.report' : 'tab.detail',
      onclick: () => showTab(tab),
    });
    buttons.set(tab, b);
    tabs.append(b);
  }
  const report = withReport ? h('div', { class: 'pane', 'data-testid': 'pane-report' }) : null;
  const detail = h('div', { class: 'pane', 'data-testid': 'pane-detail' });
  if (report) panes.set('report', report);
  panes.set('detail', detail);
  el.append(tabs, ...(report ? [report] : []), detail);
  applyStaticLabels(tabs);
  onLanguageChange(() => applyStaticLabels(tabs));
  onSelect(() => showTab('detail'));
  showTab(list[0]);
  return { report, detail };
}

export function showTab(tab: Tab): void {
  if (!panes.has(tab)) return;
  current = tab;
  for (const [k, p] of panes) p.hidden = k !== tab;
  for (const [k, b] of buttons) b.classList.toggle('active', k === tab);
}

export function activeTab(): Tab {
  return current;
}
