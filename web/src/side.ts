// The side panel's two tabs: the alarm form and the incident detail.
import { h } from './dom';
import { applyStaticLabels, onLanguageChange } from './i18n';
import { onSelect } from './selection';

export type Tab = 'report' | 'detail';
let current: Tab = 'report';
const panes = new Map<Tab, HTMLElement>();
const buttons = new Map<Tab, HTMLElement>();

export function initSide(el: HTMLElement): { report: HTMLElement; detail: HTMLElement } {
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  for (const tab of ['report', 'detail'] as Tab[]) {
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
  const report = h('div', { class: 'pane', 'data-testid': 'pane-report' });
  const detail = h('div', { class: 'pane', 'data-testid': 'pane-detail' });
  panes.set('report', report);
  panes.set('detail', detail);
  el.append(tabs, report, detail);
  applyStaticLabels(tabs);
  onLanguageChange(() => applyStaticLabels(tabs));
  onSelect(() => showTab('detail'));
  showTab('report');
  return { report, detail };
}

export function showTab(tab: Tab): void {
  current = tab;
  for (const [k, p] of panes) p.hidden = k !== tab;
  for (const [k, b] of buttons) b.classList.toggle('active', k === tab);
}

export function activeTab(): Tab {
  return current;
}
