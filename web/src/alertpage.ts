// The CAP alerts page ("预警发布", warning.read):
//   left    composing an alert from a warning (alertcompose.ts)          — warning.issue only
//   middle  its live preview: the CAP XML and the codec's messages       — warning.issue only
//   right   the map of current alerts' areas (alertmap.ts) over the approval queue
//           (alertqueue.ts), the alerts this node issued and those it received (alertlists.ts)
// The hash's sub-path names an alert: #alerts/441200-ALR-3 (a row or an area on the map sets it).
// Data: alertstate.ts, loaded on first show and kept current by the stream.
import './monitoring.css'; // the level chips and colours
import './alerts.css';
import { initCompose } from './alertcompose';
import { initLists } from './alertlists';
import { initAlertMap, invalidateAlertMap } from './alertmap';
import { initQueue } from './alertqueue';
import { alerts, loadAlerts } from './alertstate';
import { h } from './dom';
import { can } from './session';

let started = false;
let pendingSub = '';

export function initAlertsPage(root: HTMLElement): void {
  const issuer = can('warning.issue');
  const mapEl = h('div', { class: 'map', 'data-testid': 'alert-map' });
  const queueEl = h('section', { class: 'panel alert-queue', 'data-testid': 'alert-queue' });
  const outEl = h('section', { class: 'panel alert-outgoing', 'data-testid': 'alert-outgoing' });
  const inEl = h('section', { class: 'panel alert-incoming', 'data-testid': 'alert-incoming' });
  const right = h(
    'div',
    { class: 'alert-col alert-right' },
    h('section', { class: 'panel map-panel alert-map-panel' }, mapEl),
    h('div', { class: 'alert-lists' }, queueEl, outEl, inEl),
  );
  root.classList.add(issuer ? 'alerts-layout' : 'alerts-layout-read');
  if (issuer) {
    const composeEl = h('section', { class: 'panel alert-compose', 'data-testid': 'alert-compose' });
    const previewEl = h('section', { class: 'panel alert-preview', 'data-testid': 'alert-preview' });
    root.append(composeEl, previewEl, right);
    initCompose(composeEl, previewEl);
  } else root.append(right);
  initAlertMap(mapEl);
  initQueue(queueEl);
  initLists(outEl, inEl);
  // Live highlights run out.
  window.setInterval(() => {
    const now = Date.now();
    let changed = false;
    for (const [id, until] of alerts.fresh)
      if (until < now) {
        alerts.fresh.delete(id);
        changed = true;
      }
    if (changed) alerts.emit('alerts');
  }, 2000);
  void loadAlerts().then(() => {
    started = true;
    alertsShown(pendingSub);
  });
}

export function alertsShown(sub: string): void {
  invalidateAlertMap();
  if (!started) {
    pendingSub = sub;
    return;
  }
  const id = decodeURIComponent(sub.split('/')[0] ?? '');
  if (id === alerts.selected) return;
  alerts.selected = id;
  alerts.emit('selection');
}
