// Start-up: the session first (the sign-in screen when there is none), then the node's reference
// data, then the pages the person may see. The live pages (operations, units) load health (for the
// seq), then the lists, then the stream from that seq, so no event falls between what was loaded
// and what arrives live. A lost session brings the sign-in screen back over the page, which keeps
// its state.
// Leaflet's stylesheet first, so ours overrides it; both are bundled (no CDN).
import 'leaflet/dist/leaflet.css';
import './style.css';
import { get } from './api';
import { alertsShown, initAlertsPage } from './alertpage';
import { handleAlertEvent, isAlertEvent } from './alertstate';
import { initAudit } from './audit';
import { initBoard } from './board';
import { initCoverage } from './coverage';
import { initDetail } from './detail';
import { h } from './dom';
import { initForm } from './form';
import { initHeader } from './header';
import { lang, onLanguageChange, t } from './i18n';
import { handleEvent, handleTelemetry, reloadOpenIncidents, reloadUnits } from './live';
import { loadOpenIncidents, parseNode, parseTaxonomy } from './loaders';
import { initMap, invalidate } from './map';
import { initMonitoringPage, monitoringShown } from './monpage';
import { reloadMonitoring } from './monstate';
import { addPage, startPages } from './pages';
import { initPeople } from './people';
import { initPlansPage, plansShown } from './planpage';
import { reportsShown, initReportsPage } from './reportpage';
import { handleReportEvent, isReportEvent } from './reportstate';
import { reloadSelected } from './selection';
import { can, loadSession, onSessionLost, probe } from './session';
import { initSide } from './side';
import { initSignIn, askSignIn } from './signin';
import { store } from './state';
import { LiveStream } from './stream';
import type { Principal } from './types';
import { initUnitBoard, unitBoardShown } from './unitboard';
import { loadUnits } from './units';
import { initUnlocated } from './unlocated';

const $ = (id: string) => document.getElementById(id)!;
let stream: LiveStream | null = null;

async function start(): Promise<void> {
  document.documentElement.lang = lang();
  document.title = t('app.title');
  initSignIn($('signin'));
  $('loading').textContent = t('app.loading');

  let me = await loadSession();
  if (!me) {
    $('loading').hidden = true;
    me = await askSignIn('start');
    $('loading').hidden = false;
  }
  const first = me;
  onSessionLost(() => void lostSession(first));

  // Reference data: readable by anyone signed in; defaults if not.
  const [node, taxonomy] = await Promise.all([
    get<unknown>('/node').then(parseNode, () => parseNode({})),
    get<unknown>('/taxonomy').then(parseTaxonomy, () => parseTaxonomy({})),
  ]);
  store.node = node;
  store.taxonomy = taxonomy;

  const monitoring = can('monitoring.read') || can('warning.read');
  const live = can('incident.read') || can('unit.read') || monitoring || can('report.read');
  const seq = live ? await loadLive() : 0;
  if (can('incident.read')) addOps();
  if (can('unit.read'))
    addPage({ id: 'units', label: 'page.units', el: $('page-units'), init: () => initUnitBoard($('page-units')), shown: unitBoardShown });
  if (monitoring) {
    const el = h('section', { id: 'page-monitoring', class: 'page', 'data-testid': 'page-monitoring' });
    document.body.insertBefore(el, $('page-audit'));
    addPage({ id: 'monitoring', label: 'page.monitoring', el, init: () => initMonitoringPage(el), shown: monitoringShown });
  }
  if (can('warning.read')) {
    const el = h('section', { id: 'page-alerts', class: 'page', 'data-testid': 'page-alerts' });
    document.body.insertBefore(el, $('page-audit'));
    addPage({ id: 'alerts', label: 'page.alerts', el, init: () => initAlertsPage(el), shown: alertsShown });
  }
  if (can('plan.read')) {
    const el = h('section', { id: 'page-plans', class: 'page', 'data-testid': 'page-plans' });
    document.body.insertBefore(el, $('page-audit'));
    addPage({ id: 'plans', label: 'page.plans', el, init: () => initPlansPage(el), shown: plansShown });
  }
  if (can('report.read')) {
    const el = h('section', { id: 'page-reports', class: 'page', 'data-testid': 'page-reports' });
    document.body.insertBefore(el, $('page-audit'));
    addPage({ id: 'reports', label: 'page.reports', el, init: () => initReportsPage(el), shown: reportsShown });
  }
  if (can('audit.read')) addPage({ id: 'audit', label: 'page.audit', el: $('page-audit'), init: () => initAudit($('page-audit')) });
  if (can('people.manage')) addPage({ id: 'people', label: 'page.people', el: $('page-people'), init: () => initPeople($('page-people')) });
  $('loading').remove();
  initHeader($('header'), $('banner'));
  startPages();
  const nothing = $('nothing');
  nothing.hidden = live || can('plan.read') || can('audit.read') || can('people.manage');
  const label = () => (nothing.textContent = t('app.nothing'));
  onLanguageChange(label);
  label();
  store.emit('node');
  if (live) startStream(seq);
}

/** The journal position, then what the person may see of incidents and units as of it. */
async function loadLive(): Promise<number> {
  const health = await get<{ seq?: number }>('/health');
  const seq = typeof health.seq === 'number' ? health.seq : 0;
  const [incidents] = await Promise.all([
    can('incident.read') ? loadOpenIncidents() : Promise.resolve([]),
    can('unit.read') ? loadUnits().catch(() => undefined) : Promise.resolve(),
  ]);
  for (const i of incidents) store.incidents.set(i.id, i);
  return seq;
}

function addOps(): void {
  const layout = $('ops');
  addPage({ id: 'ops', label: 'page.ops', el: layout, shown: invalidate });
  initBoard($('board'));
  initUnlocated($('unlocated'));
  const side = initSide($('side'), can('incident.report'), can('unit.read'));
  if (side.report) initForm(side.report);
  initDetail(side.detail);
  if (side.coverage) initCoverage(side.coverage);
  // The map last and visible: Leaflet measures its container.
  layout.hidden = false;
  initMap($('map'));
  store.emit('incidents');
  window.addEventListener('resize', invalidate);
}

function startStream(seq: number): void {
  stream = new LiveStream(seq, {
    onEvent: (ev) => {
      handleEvent(ev);
      if (isAlertEvent(ev.type)) handleAlertEvent(ev); // the alerts page's store
      if (isReportEvent(ev.type)) handleReportEvent(ev); // the reports page's store
    },
    onTelemetry: handleTelemetry,
    onOpen: (again) => {
      if (again) {
        void reloadUnits();
        reloadMonitoring(); // readings telemetry sent meanwhile is not replayed
      }
    },
    onConnectFailed: () => void probe(),
  });
  stream.start();
}

// The same person signing in again carries on where they were (the stream resumes from its last
// seq, so nothing is missed); someone else gets a fresh console.
async function lostSession(before: Principal): Promise<void> {
  stream?.stop();
  const me = await askSignIn('lost');
  if (me.id !== before.id) {
    location.reload();
    return;
  }
  if (stream) {
    stream.start();
    if (can('incident.read')) {
      await reloadOpenIncidents();
      await reloadSelected();
    }
  }
}

start().catch((e: unknown) => {
  const el = document.getElementById('loading');
  if (el) {
    el.hidden = false;
    el.textContent = `${t('app.loadFailed')}: ${e instanceof Error ? e.message : String(e)}`;
    el.classList.add('error');
    el.append(h('div', {}, t('app.retrying')));
  }
  // Try again: the node may be starting.
  window.setTimeout(() => location.reload(), 5000);
});
