// Coverage (side tab, for `unit.read`): for one unit type, GET /api/v1/coverage — the share of the
// road network an available unit of the type reaches within the target time — and the suggested
// move-ups, drawn on the map as arrows from the unit to the station. The drawing is shown while
// the tab is.
import L from 'leaflet';
import { ApiError, get } from './api';
import { h, clear, option } from './dom';
import { codeName, onLanguageChange, t } from './i18n';
import { durationText, unitTypeName } from './format';
import { fitTo, leafletMap, overlay } from './map';
import { onTabChange } from './side';
import { store } from './state';
import type { CoverageAnswer, LonLat, MoveUp } from './types';

const form = { type: '', target: '', moves: '3' };
let answer: CoverageAnswer | null = null;
let errorText = '';
let loading = false;
let shown = false;
let root: HTMLElement;
let result: HTMLElement;

export function initCoverage(el: HTMLElement): void {
  root = el;
  form.type = store.taxonomy?.unitTypes.includes('engine') ? 'engine' : store.taxonomy?.unitTypes[0] ?? 'engine';
  onLanguageChange(() => {
    renderForm();
    renderResult();
  });
  onTabChange((tab) => {
    shown = tab === 'coverage';
    if (shown && !answer && !loading && !errorText) void compute();
    draw();
  });
  renderForm();
}

function renderForm(): void {
  clear(root);
  result = h('div', { 'data-testid': 'coverage-result' });
  const types = store.taxonomy?.unitTypes ?? [];
  root.append(
    h(
      'form',
      {
        class: 'coverage-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void compute();
        },
      },
      h('h3', {}, t('coverage.title')),
      h('div', { class: 'muted' }, t('coverage.subtitle')),
      h(
        'div',
        { class: 'inline' },
        h(
          'select',
          { 'data-testid': 'coverage-type', onchange: (e: Event) => (form.type = (e.target as HTMLSelectElement).value) },
          types.map((x) => option(x, unitTypeName(x), x === form.type)),
        ),
        h('input', {
          type: 'number',
          min: 1,
          class: 'count-input wide',
          'data-testid': 'coverage-target',
          placeholder: t('coverage.targetDefault'),
          title: t('coverage.target'),
          value: form.target,
          oninput: (e: Event) => (form.target = (e.target as HTMLInputElement).value),
        }),
        h('span', { class: 'muted' }, t('coverage.seconds')),
        h('input', {
          type: 'number',
          min: 0,
          max: 20,
          class: 'count-input',
          'data-testid': 'coverage-moves',
          title: t('coverage.moves'),
          value: form.moves,
          oninput: (e: Event) => (form.moves = (e.target as HTMLInputElement).value),
        }),
        h('span', { class: 'muted' }, t('coverage.movesShort')),
        h('button', { type: 'submit', class: 'btn small primary', 'data-testid': 'coverage-compute' }, t('coverage.compute')),
      ),
    ),
    result,
  );
  renderResult();
}

async function compute(): Promise<void> {
  const q = new URLSearchParams({ type: form.type });
  const target = Number(form.target);
  if (form.target.trim() && Number.isFinite(target) && target > 0) q.set('target_s', String(Math.round(target)));
  const moves = Number(form.moves);
  if (form.moves.trim() && Number.isInteger(moves) && moves >= 0) q.set('moves', String(moves));
  loading = true;
  errorText = '';
  renderResult();
  try {
    answer = await get<CoverageAnswer>(`/coverage?${q}`);
  } catch (e) {
    answer = null;
    errorText = e instanceof ApiError ? `${codeName('error', e.code)}: ${e.message}` : String(e);
  } finally {
    loading = false;
  }
  renderResult();
  draw(true);
}

const pct = (x: number | undefined) => (typeof x === 'number' ? `${(x * 100).toFixed(1)}%` : '—');

function renderResult(): void {
  if (!result) return;
  clear(result);
  result.dataset.loading = String(loading);
  if (loading) result.append(h('div', { class: 'muted' }, t('coverage.computing')));
  if (errorText) result.append(h('div', { class: 'form-error', 'data-testid': 'coverage-error' }, errorText));
  const a = answer;
  if (!a) return;
  const moves = a.move_ups ?? [];
  const notice = a.method && a.method !== 'road' ? h('div', { class: 'notice' }, codeName('method', a.method)) : null;
  if (notice) result.append(notice);
  result.append(
    h(
      'div',
      { class: 'coverage-share' },
      h('span', { class: 'big', 'data-testid': 'coverage-share', 'data-share': String(a.share ?? '') }, pct(a.share)),
      h(
        'span',
        { class: 'muted' },
        t('coverage.shareOf', { type: unitTypeName(a.type), t: durationText(a.target_s), n: a.units ?? 0 }),
      ),
    ),
    h('h4', {}, t('coverage.moveUps', { n: moves.length })),
    moves.length
      ? h(
          'table',
          { class: 'board moveups' },
          h(
            'tbody',
            {},
            moves.map((m, i) =>
              h(
                'tr',
                { 'data-testid': 'moveup', 'data-unit-id': m.unit_id },
                h('td', {}, String(i + 1)),
                h('td', {}, h('strong', {}, m.call_sign ?? m.unit_id), ' → ', m.to_station ?? store.stations.get(m.to_station_id)?.name ?? m.to_station_id),
                h('td', { class: 'num' }, `${pct(m.share_before)} → ${pct(m.share_after)}`),
                h('td', { class: 'num', title: t('coverage.travel') }, durationText(m.travel_s)),
              ),
            ),
          ),
        )
      : h('div', { class: 'muted' }, t('coverage.noMoves')),
  );
}

function from(m: MoveUp): LonLat | null {
  const p = store.units.get(m.unit_id)?.position;
  return p ? { lon: p.lon, lat: p.lat } : null;
}

function to(m: MoveUp): LonLat | null {
  return m.to ?? store.stations.get(m.to_station_id)?.location ?? null;
}

let zoomHooked = false;

/** The move-ups as arrows (line and head), while the tab is shown; `fit` shows them all. */
function draw(fit = false): void {
  const g = overlay('moveups');
  g.clearLayers();
  const map = leafletMap();
  if (!shown || !answer || !map) return;
  if (!zoomHooked) {
    zoomHooked = true;
    map.on('zoomend', () => draw());
  }
  for (const m of answer.move_ups ?? []) {
    const a = from(m);
    const b = to(m);
    if (!a || !b) continue;
    const la = L.latLng(a.lat, a.lon);
    const lb = L.latLng(b.lat, b.lon);
    const style = { color: '#f5d547', weight: 3, opacity: 0.9 };
    L.polyline([la, lb], { ...style, dashArray: '8 5' })
      .bindTooltip(`${m.call_sign ?? m.unit_id} → ${m.to_station ?? m.to_station_id}`, { sticky: true })
      .addTo(g);
    // The head: two short strokes at the station end, in screen space so it keeps its size.
    const pa = map.latLngToLayerPoint(la);
    const pb = map.latLngToLayerPoint(lb);
    const len = pa.distanceTo(pb);
    if (len < 4) continue;
    const ux = (pb.x - pa.x) / len;
    const uy = (pb.y - pa.y) / len;
    const side = (s: number) => map.layerPointToLatLng(L.point(pb.x - 12 * ux + s * 6 * -uy, pb.y - 12 * uy + s * 6 * ux));
    L.polyline([side(1), lb, side(-1)], style).addTo(g);
    L.circleMarker(lb, { radius: 4, color: '#f5d547', fillOpacity: 0.6 }).addTo(g);
  }
  if (fit) {
    const b = g.getBounds();
    if (b.isValid()) fitTo(b, 14);
  }
}
