// The monitoring and early-warning page ("监测预警", monitoring.read or warning.read):
//   left    the warnings board (monboard.ts) over the list of stations with their newest values
//   middle  the map (monmap.ts): stations by level, the river, fences, tracked objects, predictions
//   right   the chosen station and its chart (monstation.ts) over the river panel (monriver.ts)
// The hash's sub-path names a station: #monitoring/441200-MON-1 (the list, a marker or a
// warning sets it). Someone with warning.read only sees the board.
import './monitoring.css';
import { h, fill } from './dom';
import { showTime } from './format';
import { codeName, onLanguageChange, t } from './i18n';
import { initWarningBoard } from './monboard';
import { fmtValue } from './monchart';
import { fitAll, initMonMap, invalidateMonMap, levelText, selectStationOnMap } from './monmap';
import { chooseSite, initRiverPanel } from './monriver';
import { loadMonitoring, loadObjects, mon } from './monstate';
import { initStationPanel, showStation } from './monstation';
import type { MonStation } from './montypes';
import { can } from './session';

let listEl: HTMLElement;
let filter = '';
let started = false;

export function initMonitoringPage(root: HTMLElement): void {
  const full = can('monitoring.read');
  const board = h('section', { class: 'panel mon-board', 'data-testid': 'mon-warnings' });
  listEl = h('section', { class: 'panel mon-stations', 'data-testid': 'mon-stations' });
  const mapEl = h('div', { class: 'map', 'data-testid': 'mon-map' });
  const stationEl = h('section', { class: 'panel mon-detail', 'data-testid': 'mon-detail' });
  const riverEl = h('section', { class: 'panel mon-river', 'data-testid': 'mon-river' });
  root.classList.add(full ? 'mon-layout' : 'mon-layout-board');
  root.append(h('div', { class: 'mon-col' }, board, full ? listEl : null));
  if (full) root.append(h('section', { class: 'panel map-panel' }, mapEl), h('div', { class: 'mon-col mon-right' }, stationEl, riverEl));
  initWarningBoard(board, (id, parameter) => go(id, parameter));
  if (full) {
    initStationPanel(stationEl);
    initRiverPanel(riverEl);
    initMonMap(mapEl, { station: (id) => go(id), site: chooseSite });
    mon.on('stations', renderList);
    onLanguageChange(renderList);
    renderList();
    // Fixes of tracked objects come as telemetry only to those who may see positions (unit.read).
    if (!can('unit.read')) window.setInterval(() => !root.hidden && void loadObjects(), 30000);
  }
  void loadMonitoring().then(() => {
    started = true;
    if (full) fitAll();
    if (pendingSub) monitoringShown(pendingSub);
  });
}

let pendingSub = '';

export function monitoringShown(sub: string): void {
  invalidateMonMap();
  if (!started) {
    pendingSub = sub;
    return;
  }
  const [id, parameter] = sub.split('/').map(decodeURIComponent);
  if (id && can('monitoring.read')) {
    showStation(id, parameter ?? '');
    selectStationOnMap(id, true);
    renderList();
  }
}

function go(id: string, parameter = ''): void {
  location.hash = `#monitoring/${encodeURIComponent(id)}${parameter ? `/${encodeURIComponent(parameter)}` : ''}`;
}

const rank: Record<string, number> = { red: 4, orange: 3, yellow: 2, blue: 1 };

function renderList(): void {
  const all = [...mon.stations.values()];
  const sorted = [...all].sort((a, b) => (rank[b.level] ?? 0) - (rank[a.level] ?? 0) || a.name.localeCompare(b.name, 'zh-CN'));
  const current = decodeURIComponent(location.hash.split('/')[1] ?? '');
  const search = h('input', {
    type: 'search',
    placeholder: t('mon.searchStations'),
    value: filter,
    'data-testid': 'station-search',
    oninput: (e: Event) => {
      filter = (e.target as HTMLInputElement).value;
      renderBody();
    },
  });
  const body = h('ul', { class: 'mon-list', 'data-testid': 'station-list' });
  const renderBody = () => {
    const qq = filter.trim().toLowerCase();
    fill(
      body,
      all.length
        ? sorted
            .filter((s) => !qq || s.name.toLowerCase().includes(qq) || s.id.toLowerCase().includes(qq) || s.kind.includes(qq))
            .map((s) => stationRow(s, s.id === current))
        : h('li', { class: 'empty small' }, mon.errors.get('stations') ?? (mon.loaded ? t('mon.noStations') : t('app.loading'))),
    );
  };
  renderBody();
  const focused = document.activeElement === listEl.querySelector('[data-testid="station-search"]');
  fill(
    listEl,
    h('div', { class: 'panel-head' }, h('h2', {}, t('mon.stations')), h('span', { class: 'count' }, t('mon.stationCount', { n: all.length })), search),
    body,
  );
  if (focused) search.focus();
}

function stationRow(s: MonStation, selected: boolean): HTMLElement {
  const values = s.parameters.map((p) => {
    const l = s.latest?.[p.code];
    const c = s.conditions.find((x) => x.parameter === p.code);
    return h(
      'span',
      { class: `value${c ? ` lv-${c.level}` : ''}`, 'data-testid': 'station-value', 'data-parameter': p.code, title: l ? showTime(l.time) : '' },
      `${codeName('mon.param', p.code)} ${l ? `${fmtValue(l.value)} ${p.unit}` : '—'}`,
    );
  });
  return h(
    'li',
    {
      class: `station-row${selected ? ' selected' : ''}`,
      'data-testid': 'station-row',
      'data-station-id': s.id,
      'data-level': s.level || 'none',
      tabindex: 0,
      onclick: () => go(s.id),
      onkeydown: (e: Event) => {
        if ((e as KeyboardEvent).key === 'Enter') go(s.id);
      },
    },
    h('span', { class: `dot lv-${s.level || 'none'}`, title: levelText(s.level) }),
    h('span', { class: 'name' }, s.name),
    h('span', { class: 'muted id' }, s.id),
    h('div', { class: 'values' }, values),
  );
}
