// Start-up: health (for the seq) first, then the lists, then the stream from that seq, so no
// event falls between what was loaded and what arrives live.
// Leaflet's stylesheet first, so ours overrides it; both are bundled (no CDN).
import 'leaflet/dist/leaflet.css';
import './style.css';
import { get } from './api';
import { initBoard } from './board';
import { initDetail } from './detail';
import { initForm } from './form';
import { initHeader } from './header';
import { lang, t } from './i18n';
import { handleEvent, handleTelemetry } from './live';
import { loadOpenIncidents, parseNode, parseTaxonomy, parseUnits } from './loaders';
import { initMap, invalidate } from './map';
import { initSide } from './side';
import { store } from './state';
import { LiveStream } from './stream';
import { initUnlocated } from './unlocated';

const $ = (id: string) => document.getElementById(id)!;

async function start(): Promise<void> {
  document.documentElement.lang = lang();
  document.title = t('app.title');
  initHeader($('header'), $('banner'));
  $('loading').textContent = t('app.loading');

  const health = await get<{ seq?: number }>('/health');
  const seq = typeof health.seq === 'number' ? health.seq : 0;
  const [node, taxonomy, incidents, units] = await Promise.all([
    get<unknown>('/node').then(parseNode),
    get<unknown>('/taxonomy').then(parseTaxonomy),
    loadOpenIncidents(),
    get<unknown>('/units')
      .then(parseUnits)
      .catch(() => []),
  ]);
  store.node = node;
  store.taxonomy = taxonomy;
  for (const i of incidents) store.incidents.set(i.id, i);
  store.units = new Map(units.map((u) => [u.id, u]));

  $('loading').remove();
  initBoard($('board'));
  initMap($('map'));
  initUnlocated($('unlocated'));
  const side = initSide($('side'));
  initForm(side.report);
  initDetail(side.detail);
  store.emit('node');
  store.emit('incidents');
  window.addEventListener('resize', invalidate);

  new LiveStream(seq, { onEvent: handleEvent, onTelemetry: handleTelemetry }).start();
}

start().catch((e: unknown) => {
  const el = document.getElementById('loading');
  if (el) {
    el.textContent = `${t('app.loadFailed')}: ${e instanceof Error ? e.message : String(e)}`;
    el.classList.add('error');
  }
  // Try again: the node may be starting.
  window.setTimeout(() => location.reload(), 5000);
});
