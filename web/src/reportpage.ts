// The information-reports page ("信息报送", report.read), two views:
//   desk (#reports, #reports/ID)
//     left    the obligations board with countdowns (reportboard.ts), a new draft (report.write)
//             and the office's own reports (reportnew.ts)
//     middle  the report the hash names: the editor for its drafting office (reporteditor.ts), the
//             reader with acknowledge / return for the receiving one (reportinbox.ts)
//     right   the inbox of reports sent to the person's jurisdiction, live (reportinbox.ts)
//   statistics (#reports/stats): period, grouping, table, bar chart, CSV (reportstats.ts)
// Data: reportstate.ts, loaded on first show and kept current by the stream's `reports` topic.
import './reports.css';
import { h } from './dom';
import { onLanguageChange, t } from './i18n';
import { initObligationBoard } from './reportboard';
import { initReportPane } from './reporteditor';
import { initInbox } from './reportinbox';
import { initOwnReports } from './reportnew';
import { loadReports, reports } from './reportstate';
import { initStats, statsShown } from './reportstats';
import { can } from './session';

let started = false;
let pendingSub = '';
let desk: HTMLElement;
let stats: HTMLElement;
let tabs: HTMLElement;

export function initReportsPage(root: HTMLElement): void {
  const board = h('section', { class: 'panel rep-board', 'data-testid': 'rep-obligations' });
  const form = can('report.write') ? h('section', { class: 'panel rep-new-panel', 'data-testid': 'rep-new' }) : null;
  const own = h('section', { class: 'panel rep-own', 'data-testid': 'rep-own' });
  const pane = h('section', { class: 'panel rep-pane', 'data-testid': 'rep-pane' });
  const inbox = h('section', { class: 'panel rep-inbox', 'data-testid': 'rep-inbox' });
  desk = h('div', { class: 'rep-desk' }, h('div', { class: 'rep-col' }, board, form, own), pane, inbox);
  stats = h('section', { class: 'panel rep-stats', 'data-testid': 'rep-stats', hidden: true });
  tabs = h('nav', { class: 'rep-tabs' });
  root.classList.add('reports-layout');
  root.append(tabs, desk, stats);
  const labels = () => {
    tabs.replaceChildren(
      h('a', { href: '#reports', class: 'rep-tab', 'data-testid': 'rep-tab-desk' }, t('rep.desk')),
      h('a', { href: '#reports/stats', class: 'rep-tab', 'data-testid': 'rep-tab-stats' }, t('rep.stats')),
    );
    markTab();
  };
  onLanguageChange(labels);
  labels();
  initObligationBoard(board);
  initOwnReports(own, form);
  initReportPane(pane);
  initInbox(inbox);
  initStats(stats);
  // Live highlights run out.
  window.setInterval(() => {
    const now = Date.now();
    let changed = false;
    for (const [id, until] of reports.fresh)
      if (until < now) {
        reports.fresh.delete(id);
        changed = true;
      }
    if (changed) reports.emit('reports');
  }, 2000);
  void loadReports().then(() => {
    started = true;
    reportsShown(pendingSub);
  });
}

function markTab(): void {
  const onStats = !stats.hidden;
  tabs.querySelector('[data-testid="rep-tab-desk"]')?.classList.toggle('active', !onStats);
  tabs.querySelector('[data-testid="rep-tab-stats"]')?.classList.toggle('active', onStats);
}

export function reportsShown(sub: string): void {
  const first = decodeURIComponent(sub.split('/')[0] ?? '');
  const onStats = first === 'stats';
  if (stats) {
    stats.hidden = !onStats;
    desk.hidden = onStats;
    markTab();
    if (onStats) statsShown();
  }
  if (!started) {
    pendingSub = sub;
    return;
  }
  if (onStats) return;
  if (first === reports.selected) return;
  reports.selected = first;
  reports.emit('selection');
}
