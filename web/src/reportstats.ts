// Statistics of incidents (GET /stats/incidents): a period (dates in the node's zone, the end date
// included), up to three grouping dimensions, filters by category and grade; a table of the groups
// with counts, casualties, losses, report timeliness and response intervals, the total; a bar chart
// of one measure per group drawn by hand in SVG (no chart library); and the same query as CSV.
import { API, get } from './api';
import { h, fill, option } from './dom';
import { categoryName, durationText, gradeName, typeName, wallToRfc3339 } from './format';
import { codeName, onLanguageChange, t } from './i18n';
import { dateOnly, errorText } from './planfmt';
import { nodeNow } from './nodeclock';
import { placeName } from './reportboard';
import { METRICS, type Metric, type Stats, type StatsFigures } from './reporttypes';
import { store } from './state';

const DIMS = ['month', 'year', 'day', 'category', 'type', 'grade', 'jurisdiction', 'agency'];
const SVG = 'http://www.w3.org/2000/svg';

let root: HTMLElement;
let from = '';
let to = '';
let groupBy: string[] = ['month', 'category', ''];
let category = '';
let grade = '';
let level = ''; // jurisdictions as stored (county), or rolled up to the city or province
let metric: Metric = 'incidents';
let result: Stats | null = null;
let error = '';
let busy = false;
let shown = false;

export function initStats(el: HTMLElement): void {
  root = el;
  // The last twelve months by default, to today (both in the node's zone).
  const today = dateOnly(new Date(nodeNow()).toISOString());
  to = today;
  from = `${Number(today.slice(0, 4)) - 1}${today.slice(4, 8)}01`;
  onLanguageChange(render);
  render();
}

/** Runs the query the first time the statistics are shown. */
export function statsShown(): void {
  if (shown) return;
  shown = true;
  void run();
}

function query(format: 'json' | 'csv'): string | null {
  const zone = store.node?.timeZone ?? 'Asia/Shanghai';
  const p = new URLSearchParams();
  if (from) {
    const f = wallToRfc3339(`${from}T00:00`, zone);
    if (!f) return null;
    p.set('from', f);
  }
  if (to) {
    // The end date is included: up to the start of the next day.
    const d = new Date(`${to}T00:00:00Z`);
    if (Number.isNaN(d.getTime())) return null;
    d.setUTCDate(d.getUTCDate() + 1);
    const tt = wallToRfc3339(`${d.toISOString().slice(0, 10)}T00:00`, zone);
    if (!tt) return null;
    p.set('to', tt);
  }
  const dims = groupBy.filter((d, i) => d && groupBy.indexOf(d) === i);
  if (dims.length) p.set('group_by', dims.join(','));
  if (category) p.set('category', category);
  if (grade) p.set('grade', grade);
  if (level && dims.includes('jurisdiction')) p.set('jurisdiction_level', level);
  p.set('format', format);
  return `/stats/incidents?${p.toString()}`;
}

async function run(): Promise<void> {
  const path = query('json');
  if (!path) {
    error = t('rep.badPeriod');
    return render();
  }
  busy = true;
  error = '';
  render();
  try {
    result = await get<Stats>(path);
  } catch (e) {
    error = errorText(e);
    result = null;
  } finally {
    busy = false;
    render();
  }
}

/** A key value as a label: categories, types, grades and jurisdictions by name. */
function keyLabel(dim: string, v: string): string {
  if (dim === 'category') return categoryName(v);
  if (dim === 'type') return typeName(v);
  if (dim === 'grade') return v ? gradeName(v) : t('rep.ungraded');
  if (dim === 'jurisdiction') return placeName(v);
  return v || '—';
}

function figure(m: Metric, v: number | null | undefined): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  if (m === 'on_time_share') return `${(v * 100).toFixed(1)}%`;
  if (m === 'mean_delay_min') return v.toFixed(1);
  if (m === 'mean_dispatch_s' || m === 'mean_arrival_s' || m === 'p90_arrival_s') return durationText(v);
  return v.toLocaleString();
}

function render(): void {
  const typed = (set: (v: string) => void, rerun = false) => (e: Event) => {
    set((e.target as HTMLInputElement).value);
    if (rerun) void run();
  };
  const dimSelect = (i: number) =>
    h(
      'select',
      { 'data-testid': 'stats-group', 'data-index': i, onchange: typed((v) => (groupBy[i] = v), true) },
      option('', t('rep.noGroup'), !groupBy[i]),
      DIMS.map((d) => option(d, codeName('rep.dim', d), groupBy[i] === d)),
    );
  const csv = query('csv');
  fill(
    root,
    h('div', { class: 'panel-head' }, h('h2', {}, t('rep.stats'))),
    h(
      'div',
      { class: 'stats-controls' },
      h('label', {}, t('rep.from'), h('input', { type: 'date', 'data-testid': 'stats-from', value: from, onchange: typed((v) => (from = v), true) })),
      h('label', {}, t('rep.to'), h('input', { type: 'date', 'data-testid': 'stats-to', value: to, onchange: typed((v) => (to = v), true) })),
      h('label', {}, t('rep.groupBy'), dimSelect(0), dimSelect(1), dimSelect(2)),
      h(
        'label',
        {},
        t('rep.category'),
        h('select', { 'data-testid': 'stats-category', onchange: typed((v) => (category = v), true) }, option('', t('rep.all'), !category), (store.taxonomy?.categories ?? []).map((c) => option(c, categoryName(c), c === category))),
      ),
      h('label', {}, t('rep.grade'), h('select', { 'data-testid': 'stats-grade', onchange: typed((v) => (grade = v), true) }, option('', t('rep.all'), !grade), ['I', 'II', 'III', 'IV'].map((g) => option(g, gradeName(g), g === grade)))),
      groupBy.includes('jurisdiction')
        ? h('label', {}, t('rep.level'), h('select', { 'data-testid': 'stats-level', onchange: typed((v) => (level = v), true) }, ['', 'city', 'province'].map((l) => option(l, codeName('rep.level', l || 'county'), l === level))))
        : null,
      h('button', { type: 'button', class: 'btn small', disabled: busy, 'data-testid': 'stats-run', onclick: () => void run() }, t('rep.run')),
      csv ? h('a', { class: 'btn small ghost', href: API + csv, download: 'incident-statistics.csv', 'data-testid': 'stats-csv' }, t('rep.csv')) : null,
    ),
    error ? h('div', { class: 'form-error', 'data-testid': 'stats-error' }, error) : null,
    result ? body(result) : h('div', { class: 'empty small' }, busy ? t('app.loading') : ''),
  );
}

function body(r: Stats): HTMLElement {
  const dims = r.columns.filter((c) => !(METRICS as readonly string[]).includes(c));
  const cells = (f: StatsFigures) => METRICS.map((m) => h('td', { class: 'num', 'data-metric': m }, figure(m, f[m])));
  return h(
    'div',
    { class: 'stats-body', 'data-testid': 'stats-result', 'data-rows': r.rows.length },
    h(
      'div',
      { class: 'stats-chart-head' },
      h('label', {}, t('rep.chartOf'), h('select', { 'data-testid': 'stats-metric', onchange: (e: Event) => ((metric = (e.target as HTMLSelectElement).value as Metric), render()) }, METRICS.map((m) => option(m, codeName('rep.metric', m), m === metric)))),
    ),
    chart(r, dims),
    h(
      'div',
      { class: 'stats-table-wrap' },
      h(
        'table',
        { class: 'stats-table', 'data-testid': 'stats-table' },
        h('thead', {}, h('tr', {}, dims.map((d) => h('th', {}, codeName('rep.dim', d))), METRICS.map((m) => h('th', { class: 'num' }, codeName('rep.metric', m))))),
        h(
          'tbody',
          {},
          r.rows.map((row) => h('tr', { 'data-testid': 'stats-row', 'data-key': row.key.join('|') }, row.key.map((k, i) => h('td', {}, keyLabel(dims[i] ?? '', k))), cells(row))),
          h('tr', { class: 'total', 'data-testid': 'stats-total' }, dims.length ? h('td', { colspan: dims.length }, t('rep.total')) : null, cells(r.total)),
        ),
      ),
    ),
  );
}

/** One bar per group, its height the chosen measure; the key under it (rotated when many). */
function chart(r: Stats, dims: string[]): Element {
  const rows = r.rows.length ? r.rows : [{ key: [t('rep.total')], ...r.total }];
  const W = 640;
  const H = 200;
  const M = { left: 48, right: 8, top: 10, bottom: 60 };
  const values = rows.map((row) => (typeof row[metric] === 'number' ? (row[metric] as number) : 0));
  const max = Math.max(1e-9, ...values);
  const step = (W - M.left - M.right) / Math.max(1, rows.length);
  const bar = Math.min(60, Math.max(2, step * 0.7));
  const el = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const x = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) x.setAttribute(k, String(v));
    if (text !== undefined) x.textContent = text;
    return x;
  };
  const svg = el('svg', { class: 'stats-chart', viewBox: `0 0 ${W} ${H}`, 'data-testid': 'stats-chart', 'data-metric': metric, role: 'img' });
  svg.append(el('title', {}, codeName('rep.metric', metric)));
  const plotH = H - M.top - M.bottom;
  for (const f of [0, 0.5, 1]) {
    const y = M.top + plotH * (1 - f);
    svg.append(el('line', { x1: M.left, x2: W - M.right, y1: y, y2: y, class: 'grid' }));
    svg.append(el('text', { x: M.left - 4, y: y + 4, 'text-anchor': 'end', class: 'tick' }, figure(metric, metric === 'on_time_share' ? max * f : Math.round(max * f * 10) / 10)));
  }
  rows.forEach((row, i) => {
    const v = values[i];
    const hgt = (v / max) * plotH;
    const x = M.left + i * step + (step - bar) / 2;
    const label = row.key.map((k, j) => keyLabel(dims[j] ?? '', k)).join(' · ');
    const rect = el('rect', { x, y: M.top + plotH - hgt, width: bar, height: Math.max(0, hgt), class: 'bar', 'data-testid': 'stats-bar', 'data-key': row.key.join('|'), 'data-value': v });
    rect.append(el('title', {}, `${label}: ${figure(metric, v)}`));
    svg.append(rect);
    const tx = x + bar / 2;
    const ty = H - M.bottom + 12;
    svg.append(el('text', { x: tx, y: ty, class: 'tick', 'text-anchor': rows.length > 8 ? 'end' : 'middle', transform: rows.length > 8 ? `rotate(-45 ${tx} ${ty})` : '' }, label.length > 18 ? `${label.slice(0, 17)}…` : label));
  });
  return svg;
}
