// One monitoring station in the side panel: what it is, its parameters with the newest values, its
// firing detectors, and the chart of one parameter (monchart.ts) over a time window —
// GET /monitoring/stations/{id}/readings?parameter=&from=&to=&points= — with the limit lines and
// the moments detectors fired (the answer's conditions, the station's, and the steps of its
// warnings). The window follows the present (new readings are appended live from the stream)
// until the person zooms; "follow" brings it back. The stream's telemetry has only the newest
// reading of a series in each batch, so a live reading also reloads the window (at most once a
// second), and so does a change of the station's conditions (a detector fired or cleared). From a station placed on the river, "predict
// downstream arrivals" hands over to the river panel (monriver.ts).
import { ApiError, get } from './api';
import { h, fill, option } from './dom';
import { showTime } from './format';
import { codeName, onLanguageChange, t } from './i18n';
import { fmtValue, StationChart, type FiredMark } from './monchart';
import { levelText } from './monmap';
import { predictFrom } from './monriver';
import { mon } from './monstate';
import type { ChartAnswer, ChartPoint, LiveReading, MonStation, Warning } from './montypes';
import { coalesce } from './planevents';
import { errorText } from './planfmt';
import { can } from './session';

const HOUR = 3_600_000;
const SPANS: Array<[string, number]> = [
  ['6h', 6 * HOUR],
  ['24h', 24 * HOUR],
  ['7d', 7 * 24 * HOUR],
  ['30d', 30 * 24 * HOUR],
];

let root: HTMLElement;
let chart: StationChart;
let stationId = '';
let parameter = '';
let win = { from: 0, to: 0 };
let follow = true;
let span = 24 * HOUR;
let answer: ChartAnswer | null = null;
let history: Warning[] = []; // the station's warnings, lifted ones too (for the fired marks)
let error = '';
let loading = 0;
let shownConditions = '';

const conditionsOf = (s: MonStation | undefined) => JSON.stringify(s?.conditions ?? []);

export function initStationPanel(el: HTMLElement): void {
  root = el;
  chart = new StationChart((from, to) => {
    follow = false;
    win = { from, to };
    void load();
  });
  mon.on('stations', () => {
    if (!stationId) return;
    // A detector fired or cleared: readings came (perhaps several, or without telemetry).
    const sig = conditionsOf(mon.stations.get(stationId));
    if (sig !== shownConditions) {
      shownConditions = sig;
      if (answer && follow) reloadSoon();
    }
    render();
  });
  mon.on('warnings', () => {
    if (stationId) redraw();
  });
  mon.onReading(onReading);
  onLanguageChange(() => {
    if (stationId) render();
  });
  render();
}

export function shownStation(): string {
  return stationId;
}

/** Shows a station (and a parameter of it: the first when empty or unknown). */
export function showStation(id: string, param = ''): void {
  const s = mon.stations.get(id);
  const p = s?.parameters.find((x) => x.code === param)?.code ?? s?.parameters[0]?.code ?? param;
  if (id === stationId && p === parameter) return;
  const fresh = id !== stationId;
  stationId = id;
  parameter = p;
  answer = null;
  error = '';
  if (fresh) history = [];
  follow = true;
  win = followWindow(s);
  shownConditions = conditionsOf(s);
  render();
  if (id) {
    void load();
    if (fresh) void loadHistory();
  }
}

/** The window ending now (or at the newest reading, when that is older than the span). */
function followWindow(s: MonStation | undefined): { from: number; to: number } {
  let to = Date.now() + 60_000;
  const last = s?.latest?.[parameter]?.time;
  if (last) {
    const ms = Date.parse(last);
    if (ms > to) to = ms + 60_000;
    else if (ms < to - span) to = ms + span * 0.05;
  }
  return { from: to - span, to };
}

async function load(): Promise<void> {
  const id = stationId;
  const gen = ++loading;
  const points = Math.max(50, Math.min(2000, Math.round((chart.root.clientWidth || 560) / 2)));
  const q = new URLSearchParams({
    parameter,
    from: new Date(win.from).toISOString(),
    to: new Date(win.to).toISOString(),
    points: String(points),
  });
  try {
    const a = await get<ChartAnswer>(`/monitoring/stations/${encodeURIComponent(id)}/readings?${q}`);
    if (gen !== loading) return;
    answer = a;
    error = '';
  } catch (e) {
    if (gen !== loading) return;
    error = e instanceof ApiError && e.status === 404 ? t('mon.stationGone', { id }) : errorText(e);
  }
  render();
}

async function loadHistory(): Promise<void> {
  if (!can('warning.read')) return;
  const id = stationId;
  try {
    const a = await get<{ warnings: Warning[] }>(`/warnings?status=all&station_id=${encodeURIComponent(id)}`);
    if (id !== stationId) return;
    history = a.warnings;
    redraw();
  } catch {
    /* the marks from the conditions remain */
  }
}

function onReading(r: LiveReading): void {
  if (r.station_id !== stationId || r.parameter !== parameter || !answer) return;
  const ms = Date.parse(r.time);
  if (!Number.isFinite(ms)) return;
  if (follow && ms > win.to) {
    const to = ms + 60_000;
    win = { from: to - (win.to - win.from), to };
  }
  if (ms < win.from || ms > win.to) return;
  const p: ChartPoint = { t: new Date(ms).toISOString(), n: 1, min: r.value, max: r.value, mean: r.value, last: r.value };
  const pts = answer.points.filter((x) => Date.parse(x.t) !== ms);
  pts.push(p);
  pts.sort((a, b) => Date.parse(a.t) - Date.parse(b.t));
  answer = { ...answer, points: pts };
  redraw();
  // The telemetry carries a series' newest reading of a batch only: the others come with a reload.
  reloadSoon();
}

const reloadSoon = coalesce(() => void load(), 1000);

/** Detector moments: the conditions' `since` and the warnings' steps of this parameter. */
function firedMarks(s: MonStation | undefined): FiredMark[] {
  const out: FiredMark[] = [];
  const seen = new Set<string>();
  const add = (at: string, level: string, label: string) => {
    const ms = Date.parse(at);
    const key = `${ms}|${level}`;
    if (!Number.isFinite(ms) || seen.has(key)) return;
    seen.add(key);
    out.push({ at: ms, level, label: `${showTime(at)} · ${label}` });
  };
  for (const c of answer?.conditions ?? []) add(c.since, c.level, `${codeName('mon.detector', c.detector)} · ${levelText(c.level)}`);
  for (const c of s?.conditions ?? [])
    if (c.parameter === parameter) add(c.since, c.level, `${codeName('mon.detector', c.detector)} · ${levelText(c.level)} · ${c.reason}`);
  const warnings = new Map(history.map((w) => [w.id, w]));
  for (const w of mon.warnings.values()) if (w.station_id === stationId) warnings.set(w.id, w);
  for (const w of warnings.values()) {
    if (w.parameter !== parameter) continue;
    for (const st of w.steps)
      if (st.action === 'raised' || st.action === 'updated' || st.action === 'cleared')
        add(st.at, st.action === 'cleared' ? '' : st.level || w.level, `${w.id} ${codeName('mon.step', st.action)}${st.note ? ` · ${st.note}` : ''}`);
  }
  return out;
}

function redraw(): void {
  if (!answer || !root.contains(chart.root)) return;
  const s = mon.stations.get(stationId);
  chart.draw({
    points: answer.points,
    unit: answer.unit,
    limits: answer.limits ?? {},
    fired: firedMarks(s),
    from: win.from,
    to: win.to,
  });
}

function render(): void {
  if (!stationId) {
    fill(root, h('div', { class: 'empty', 'data-testid': 'station-none' }, t('mon.pickStation')));
    return;
  }
  const s = mon.stations.get(stationId);
  if (!s) {
    fill(root, h('div', { class: 'empty' }, mon.loaded ? t('mon.stationGone', { id: stationId }) : t('app.loading')));
    return;
  }
  const p = s.parameters.find((x) => x.code === parameter);
  const latest = s.latest?.[parameter];
  fill(
    root,
    h(
      'section',
      { class: 'mon-station-detail', 'data-testid': 'station-detail', 'data-station-id': s.id, 'data-level': s.level || 'none' },
      h(
        'div',
        { class: 'detail-head' },
        h('span', { class: `level-chip lv-${s.level || 'none'}` }, levelText(s.level)),
        h('h3', {}, s.name),
        h('span', { class: 'muted' }, s.id),
      ),
      h(
        'div',
        { class: 'muted' },
        `${codeName('mon.kind', s.kind)} · ${codeName('mon.sampling', s.sampling)}${s.operator ? ` · ${s.operator}` : ''}`,
        s.kind === 'water_quality' ? ` · ${t('mon.targetClass', { cls: ['I', 'II', 'III', 'IV', 'V'][s.target_class - 1] ?? '?' })}` : '',
        s.drinking_water_source ? ` · ${t('mon.drinking')}` : '',
        s.river_site ? ` · ${t('mon.onRiver', { site: s.river_site })}` : '',
      ),
      s.conditions.length
        ? h(
            'ul',
            { class: 'plain conditions', 'data-testid': 'station-conditions' },
            s.conditions.map((c) =>
              h(
                'li',
                { 'data-testid': 'station-condition', 'data-parameter': c.parameter, 'data-level': c.level },
                h('span', { class: `level-chip lv-${c.level || 'none'}` }, levelText(c.level)),
                ` ${codeName('mon.param', c.parameter)} · ${codeName('mon.detector', c.detector)} · ${t('mon.since')} ${showTime(c.since)}`,
                c.reason ? h('span', { class: 'muted' }, ` — ${c.reason}`) : null,
              ),
            ),
          )
        : null,
      h(
        'div',
        { class: 'chart-tools' },
        h(
          'select',
          {
            'data-testid': 'chart-parameter',
            'aria-label': t('mon.parameter'),
            onchange: (e: Event) => showStation(stationId, (e.target as HTMLSelectElement).value),
          },
          s.parameters.map((x) => option(x.code, `${codeName('mon.param', x.code)} (${x.unit || '—'})`, x.code === parameter)),
        ),
        latest ? h('span', { class: 'latest', 'data-testid': 'chart-latest' }, `${fmtValue(latest.value)} ${p?.unit ?? ''} · ${showTime(latest.time)}`) : null,
        h('span', { class: 'spacer' }),
        SPANS.map(([label, ms]) =>
          h(
            'button',
            {
              type: 'button',
              class: `btn small ghost${follow && span === ms ? ' on' : ''}`,
              'data-testid': `chart-span-${label}`,
              onclick: () => {
                span = ms;
                follow = true;
                win = followWindow(s);
                void load();
              },
            },
            t(`mon.span${label}` as 'mon.span6h'),
          ),
        ),
        follow
          ? null
          : h(
              'button',
              {
                type: 'button',
                class: 'btn small',
                'data-testid': 'chart-follow',
                onclick: () => {
                  follow = true;
                  win = followWindow(s);
                  void load();
                },
              },
              t('mon.follow'),
            ),
      ),
      error ? h('div', { class: 'form-error', 'data-testid': 'chart-error' }, error) : null,
      chart.root,
      h(
        'div',
        { class: 'muted chart-note', 'data-testid': 'chart-note', 'data-loaded': String(!!answer) },
        !answer
          ? t('app.loading')
          : answer.downsampled
            ? t('mon.downsampled', { n: answer.points.length })
            : t('mon.readingsShown', { n: answer.points.length }),
        answer?.limits?.standard ? ` · ${answer.limits.standard}` : '',
        ` · ${t('mon.zoomHint')}`,
      ),
      s.river_site && can('monitoring.read')
        ? h(
            'div',
            { class: 'btn-row' },
            h(
              'button',
              { type: 'button', class: 'btn', 'data-testid': 'station-predict', onclick: () => void predictFrom({ station_id: s.id }, exceedanceTime(s)) },
              t('mon.predict'),
            ),
          )
        : null,
    ),
  );
  redraw();
}

/** When the pollutant was seen: the firing condition of this parameter, else the newest reading. */
function exceedanceTime(s: MonStation): number {
  const c = s.conditions.find((x) => x.parameter === parameter) ?? s.conditions[0];
  if (c) return Date.parse(c.since);
  const l = s.latest?.[parameter];
  return l ? Date.parse(l.time) : Date.now();
}
