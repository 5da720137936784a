// Start-up: the session first (the sign-in screen when there is none), then the node's reference
// data, then the pages the person may see. The operations page loads health (for the seq), then
// the lists, then the stream from that seq, so no event falls between what was loaded and what
// arrives live. A lost session brings the sign-in screen back over the page, which keeps its state.
// Leaflet's stylesheet first, so ours overrides it; both are bundled (no CDN).
import 'leaflet/dist/leaflet.css';
import './style.css';
import { get } from './api';
import { initAudit } from './audit';
import { initBoard } from './board';
import { initDetail } from './detail';
import { h } from './dom';
import { initForm } from './form';
import { initHeader } from './header';
import { lang, onLanguageChange, t } from './i18n';
import { handleEvent, handleTelemetry, reloadOpenIncidents } from './live';
import { loadOpenIncidents, parseNode, parseTaxonomy, parseUnits } from './loaders';
import { initMap, invalidate } from './map';
import { addPage, startPages } from './pages';
import { initPeople } from './people';
import { reloadSelected } from './selection';
import { can, loadSession, onSessionLost, probe } from './session';
import { initSide } from './side';
import { initSignIn, askSignIn } from './signin';
import { store } from './state';
import { LiveStream } from './stream';
import type { Principal } from './types';
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

  if (can('incident.read')) await addOps();
  if (can('audit.read')) addPage({ id: 'audit', label: 'page.audit', el: $('page-audit'), init: () => initAudit($('page-audit')) });
  if (can('people.manage')) addPage({ id: 'people', label: 'page.people', el: $('page-people'), init: () => initPeople($('page-people')) });
  $('loading').remove();
  initHeader($('header'), $('banner'));
  startPages();
  const nothing = $('nothing');
  nothing.hidden = can('incident.read') || can('audit.read') || can('people.manage');
  const label = () => (nothing.textContent = t('app.nothing'));
  onLanguageChange(label);
  label();
  store.emit('node');
}

async function addOps(): Promise<void> {
  const health = await get<{ seq?: number }>('/health');
  const seq = typeof health.seq === 'number' ? health.seq : 0;
  const [incidents, units] = await Promise.all([
    loadOpenIncidents(),
    can('unit.read')
      ? get<unknown>('/units')
          .then(parseUnits)
          .catch(() => [])
      : Promise.resolve([]),
  ]);
  for (const i of incidents) store.incidents.set(i.id, i);
  store.units = new Map(units.map((u) => [u.id, u]));

  const layout = $('ops');
  addPage({ id: 'ops', label: 'page.ops', el: layout, shown: invalidate });
  initBoard($('board'));
  initUnlocated($('unlocated'));
  const side = initSide($('side'), can('incident.report'));
  if (side.report) initForm(side.report);
  initDetail(side.detail);
  // The map last and visible: Leaflet measures its container.
  layout.hidden = false;
  initMap($('map'));
  store.emit('incidents');
  window.addEventListener('resize', invalidate);

  stream = new LiveStream(seq, { onEvent: handleEvent, onTelemetry: handleTelemetry, onConnectFailed: () => void probe() });
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
    await reloadOpenIncidents();
    await reloadSelected();
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
