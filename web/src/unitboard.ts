// The unit status board (page "units"): every unit the person may see, grouped by status or by
// station, filtered by type and jurisdiction (that code and below) or call sign; each with its
// status and how long since, the incident it serves, and a stale-position flag. Status buttons
// (those the transition table allows; `dispatched` only by a dispatch) for `unit.status`. Follows
// the store, which the stream keeps current; re-rendered at most once a frame, and every 15 s
// for the "since" times.
import { ApiError, post } from './api';
import { h, clear, option } from './dom';
import { codeName, onLanguageChange, t } from './i18n';
import { unitStatusName, unitTypeName } from './format';
import { jurisdictionText } from './header';
import { currentPage, showPage } from './pages';
import { selectIncident } from './selection';
import { can } from './session';
import { store } from './state';
import { shortAge } from './unitlayer';
import { ageS, isStale, nextUnitStatuses, onPositions, statusColor, UNIT_STATUSES } from './units';
import type { Unit } from './types';

type GroupBy = 'status' | 'station';
const view = { group: 'status' as GroupBy, type: '', jurisdiction: '', text: '' };
let root: HTMLElement;
let toolbar: HTMLElement;
let body: HTMLElement;
let errorText = '';
const busy = new Set<string>();
let frame = 0;
const drawnStale = new Map<string, boolean>();

export function initUnitBoard(el: HTMLElement): void {
  root = el;
  toolbar = h('div', { class: 'filters unit-tools' });
  body = h('div', { class: 'board-body unit-board', 'data-testid': 'unit-board' });
  clear(root);
  root.append(h('section', { class: 'panel' }, toolbar, body));
  store.on('units', schedule);
  store.on('node', () => {
    renderTools();
    schedule();
  });
  onLanguageChange(() => {
    renderTools();
    schedule();
  });
  // A fix that arrives turns a stale unit fresh: re-render when a flag shown changes.
  onPositions((ids) => {
    for (const id of ids ?? store.units.keys()) {
      const u = store.units.get(id);
      if (u && drawnStale.get(id) !== isStale(u)) return schedule();
    }
  });
  window.setInterval(schedule, 15000);
  renderTools();
  render();
}

/** Renders now (the page was shown: what changed while it was hidden). */
export function unitBoardShown(): void {
  render();
}

function schedule(): void {
  if (frame || currentPage() !== 'units') return;
  frame = window.requestAnimationFrame(() => {
    frame = 0;
    render();
  });
}

function renderTools(): void {
  clear(toolbar);
  const sel = (key: 'group' | 'type' | 'jurisdiction', label: string, options: HTMLOptionElement[]) =>
    h(
      'label',
      { class: 'filter' },
      h('span', {}, label),
      h(
        'select',
        {
          'data-testid': `units-${key}`,
          onchange: (e: Event) => {
            (view as Record<string, string>)[key] = (e.target as HTMLSelectElement).value;
            render();
          },
        },
        options,
      ),
    );
  const types = [...new Set([...(store.taxonomy?.unitTypes ?? []), ...[...store.units.values()].map((u) => u.type ?? '')])].filter(Boolean);
  toolbar.append(
    h('h2', { 'data-testid': 'units-title' }, t('units.title')),
    sel('group', t('units.groupBy'), [option('status', t('units.byStatus'), view.group === 'status'), option('station', t('units.byStation'), view.group === 'station')]),
    sel('type', t('units.type'), [option('', t('board.all'), view.type === ''), ...types.map((x) => option(x, unitTypeName(x), view.type === x))]),
    sel('jurisdiction', t('units.jurisdiction'), [
      option('', t('board.all'), view.jurisdiction === ''),
      ...[...(store.node?.divisions.keys() ?? [])].map((c) => option(c, jurisdictionText(c), view.jurisdiction === c)),
    ]),
    h('input', {
      type: 'search',
      'data-testid': 'units-search',
      placeholder: t('units.search'),
      value: view.text,
      oninput: (e: Event) => {
        view.text = (e.target as HTMLInputElement).value;
        render();
      },
    }),
  );
}

/** Whether `code` is `top` or below it (the /node tree; else Chinese codes' trailing zeros). */
function within(code: string | undefined, top: string): boolean {
  if (!top) return true;
  if (!code) return false;
  const parents = store.node?.parents;
  for (let c: string | undefined = code, n = 0; c && n < 10; c = parents?.get(c), n++) if (c === top) return true;
  const prefix = top.replace(/(00)+$/, '');
  return prefix.length < top.length && code.startsWith(prefix);
}

function render(): void {
  if (!body) return;
  const now = Date.now();
  const text = view.text.trim().toLowerCase();
  const units = [...store.units.values()].filter(
    (u) =>
      (!view.type || u.type === view.type) &&
      within(u.jurisdiction, view.jurisdiction) &&
      (!text || (u.call_sign ?? u.id).toLowerCase().includes(text) || u.id.toLowerCase().includes(text)),
  );
  const groups = new Map<string, Unit[]>();
  const keyOf = (u: Unit) => (view.group === 'status' ? u.status ?? '' : u.station_id ?? '');
  if (view.group === 'status') for (const s of UNIT_STATUSES) groups.set(s, []);
  for (const u of units) {
    const k = keyOf(u);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(u);
  }
  const ordered = [...groups.entries()].filter(([, l]) => l.length);
  if (view.group === 'station')
    ordered.sort(([a], [b]) => (store.stations.get(a)?.name ?? a ?? '').localeCompare(store.stations.get(b)?.name ?? b ?? ''));
  drawnStale.clear();
  clear(body);
  body.dataset.count = String(units.length);
  if (errorText) body.append(h('div', { class: 'form-error', 'data-testid': 'units-error' }, errorText));
  if (!units.length) {
    body.append(h('div', { class: 'empty', 'data-testid': 'units-empty' }, t('units.empty')));
    return;
  }
  for (const [k, list] of ordered) {
    list.sort((a, b) => (a.call_sign ?? a.id).localeCompare(b.call_sign ?? b.id, undefined, { numeric: true }));
    const title =
      view.group === 'status' ? unitStatusName(k) : k ? store.stations.get(k)?.name ?? k : t('units.noStation');
    body.append(
      h(
        'div',
        { class: 'unit-group', 'data-testid': 'unit-group', 'data-group': k },
        h(
          'div',
          { class: 'group-head' },
          view.group === 'status' ? h('span', { class: 'swatch', style: `background:${statusColor(k)}` }) : null,
          h('strong', {}, title),
          h('span', { class: 'count' }, String(list.length)),
        ),
        h('table', { class: 'board units' }, COLUMNS(), h('tbody', {}, list.map((u) => row(u, now)))),
      ),
    );
  }
}

// The same widths in every group's table, so that the columns line up down the page.
const COLUMNS = () =>
  h('colgroup', {}, ['11%', '9%', '17%', '11%', '8%', '14%', '11%', '19%'].map((w) => h('col', { style: `width:${w}` })));

function row(u: Unit, now: number): HTMLElement {
  const stale = isStale(u, now);
  drawnStale.set(u.id, stale);
  const since = ageS(u.status_since, now);
  const station = u.station_id ? store.stations.get(u.station_id)?.name ?? u.station_id : '';
  const incident = u.incident_id;
  return h(
    'tr',
    { 'data-testid': 'unit-row', 'data-unit-id': u.id, 'data-status': u.status ?? '', 'data-stale': String(stale) },
    h('td', { class: 'callsign', title: u.id }, u.call_sign ?? u.id),
    h('td', { title: (u.capabilities ?? []).join(' ') }, unitTypeName(u.type)),
    h(
      'td',
      {},
      h('span', { class: 'ustatus', style: `--c:${statusColor(u.status)}`, 'data-testid': 'unit-status' }, unitStatusName(u.status)),
      since !== null ? h('span', { class: 'since', 'data-testid': 'unit-since' }, t('units.since', { age: shortAge(since) })) : null,
    ),
    h(
      'td',
      {},
      incident
        ? h(
            'a',
            {
              href: '#ops',
              'data-testid': 'unit-incident',
              onclick: (e: Event) => {
                e.preventDefault();
                showPage('ops');
                void selectIncident(incident);
              },
            },
            incident,
          )
        : null,
    ),
    h(
      'td',
      {},
      stale
        ? u.position?.source === 'fix'
          ? h('span', { class: 'tag warn', 'data-testid': 'unit-stale', title: t('units.staleHint') }, t('units.stale'))
          : h('span', { class: 'tag', 'data-testid': 'unit-stale', title: t('units.atStationHint') }, t('units.atStationShort'))
        : null,
    ),
    h('td', { class: 'sub' }, view.group === 'status' ? station : ''),
    h('td', { class: 'sub' }, jurisdictionText(u.jurisdiction)),
    h('td', { class: 'unit-actions' }, can('unit.status') ? actions(u) : null),
  );
}

function actions(u: Unit): HTMLElement {
  return h(
    'div',
    { class: 'btn-row' },
    nextUnitStatuses(u.status).map((s) =>
      h(
        'button',
        {
          type: 'button',
          class: `btn small${s === 'out_of_service' ? ' danger' : ''}`,
          'data-testid': `unit-to-${s}`,
          disabled: busy.has(u.id),
          onclick: () => void setStatus(u, s),
        },
        unitStatusName(s),
      ),
    ),
  );
}

async function setStatus(u: Unit, status: string): Promise<void> {
  busy.add(u.id);
  errorText = '';
  render();
  try {
    await post(`/units/${encodeURIComponent(u.id)}/status`, { status });
  } catch (e) {
    errorText = `${u.call_sign ?? u.id}: ${e instanceof ApiError ? `${codeName('error', e.code)}: ${e.message}` : String(e)}`;
  } finally {
    busy.delete(u.id);
    render(); // the stream's unit.status_changed brings the change itself
  }
}
