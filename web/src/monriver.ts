// The river panel: where and when a pollutant arrives downstream. From a station placed on the
// river (its "predict" button) or a site chosen here or on the map, at a time, with an optional
// released mass: POST /api/v1/river/predict {site | station_id, at, mass_kg?} → the arrival time at
// every downstream site (with the peak concentration when a mass is given) and the jurisdictions
// the pollutant enters, and when. The arrivals are listed here and labelled on the map.
import { ApiError, post } from './api';
import { h, fill, option } from './dom';
import { rfc3339InZone, showTime } from './format';
import { jurisdictionText } from './header';
import { codeName, onLanguageChange, t } from './i18n';
import { fmtValue } from './monchart';
import { showPrediction } from './monmap';
import { mon } from './monstate';
import type { Prediction } from './montypes';
import { errorText } from './planfmt';
import { store } from './state';

let root: HTMLElement;
let site = '';
let atInput = '';
let mass = '';
let source: { site?: string; station_id?: string } | null = null;
let result: { p: Prediction; at: number; from: string } | null = null;
let error = '';
let busy = false;

export function initRiverPanel(el: HTMLElement): void {
  root = el;
  mon.on('river', render);
  onLanguageChange(render);
  render();
}

/** Chooses a site (a click on the map). */
export function chooseSite(id: string): void {
  site = id;
  render();
}

const zone = () => store.node?.timeZone ?? 'Asia/Shanghai';

/** A time for <input type="datetime-local"> in the node's zone. */
function localInput(ms: number): string {
  return rfc3339InZone(new Date(ms), zone()).slice(0, 16);
}

/** The input's local time (node zone) as epoch ms. */
function fromLocalInput(v: string): number {
  const guess = Date.parse(`${v}:00Z`);
  if (!Number.isFinite(guess)) return NaN;
  const offsetText = rfc3339InZone(new Date(guess), zone()).slice(19); // +08:00
  const m = /^([+-])(\d\d):(\d\d)$/.exec(offsetText);
  const off = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
  return guess - off;
}

/** Predicts from a station or site at `atMs` (the river panel shows the answer). */
export async function predictFrom(from: { site?: string; station_id?: string }, atMs: number): Promise<void> {
  source = from;
  if (from.site) site = from.site;
  atInput = localInput(Number.isFinite(atMs) ? atMs : Date.now());
  await run();
}

async function run(): Promise<void> {
  const at = fromLocalInput(atInput);
  const body: Record<string, unknown> = { ...(source ?? { site }) };
  if (!Number.isFinite(at)) {
    error = t('mon.badTime');
    render();
    return;
  }
  body.at = new Date(at).toISOString();
  const kg = Number(mass);
  if (mass.trim()) {
    if (!Number.isFinite(kg) || kg <= 0) {
      error = t('mon.badMass');
      render();
      return;
    }
    body.mass_kg = kg;
  }
  busy = true;
  error = '';
  render();
  try {
    const p = await post<Prediction>('/river/predict', body);
    result = { p, at, from: String(body.station_id ?? body.site ?? '') };
    showPrediction(p, at);
  } catch (e) {
    result = null;
    showPrediction(null, 0);
    error = e instanceof ApiError && e.code === 'no_river_network' ? t('mon.noRiver') : errorText(e);
  } finally {
    busy = false;
  }
  render();
}

function sites(): Array<{ id: string; name: string; kind: string }> {
  const out: Array<{ id: string; name: string; kind: string }> = [];
  for (const f of mon.river?.features ?? []) {
    const p = f.properties ?? {};
    if (p.kind !== 'reach' && typeof p.id === 'string') out.push({ id: p.id, name: String(p.name ?? p.id), kind: String(p.kind) });
  }
  return out;
}

function render(): void {
  const list = sites();
  if (!mon.river) {
    fill(
      root,
      h('div', { class: 'panel-head' }, h('h2', {}, t('mon.river'))),
      h('div', { class: 'empty small', 'data-testid': 'river-none' }, mon.errors.get('river') ?? t('mon.noRiver')),
    );
    return;
  }
  if (!site && list.length) site = list[0].id;
  if (!atInput) atInput = localInput(Date.now());
  const siteSel = h(
    'select',
    {
      'data-testid': 'predict-site',
      'aria-label': t('mon.site'),
      onchange: (e: Event) => {
        site = (e.target as HTMLSelectElement).value;
        source = null;
      },
    },
    list.map((s) => option(s.id, `${s.name} (${codeName('mon.site', s.kind)})`, s.id === site)),
  );
  const reaches = (mon.river.features ?? []).filter((f) => f.properties?.kind === 'reach').length;
  fill(
    root,
    h('div', { class: 'panel-head' }, h('h2', {}, t('mon.river')), h('span', { class: 'count' }, t('mon.riverSize', { reaches, sites: list.length }))),
    h(
      'form',
      {
        class: 'predict-form',
        'data-testid': 'predict-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          source = null;
          void run();
        },
      },
      h('label', {}, t('mon.site'), siteSel),
      h(
        'label',
        {},
        t('mon.at'),
        h('input', { type: 'datetime-local', value: atInput, 'data-testid': 'predict-at', oninput: (e: Event) => (atInput = (e.target as HTMLInputElement).value) }),
      ),
      h(
        'label',
        {},
        t('mon.massKg'),
        h('input', { type: 'number', min: '0', step: 'any', value: mass, class: 'narrow', 'data-testid': 'predict-mass', oninput: (e: Event) => (mass = (e.target as HTMLInputElement).value) }),
      ),
      h('button', { type: 'submit', class: 'btn primary', disabled: busy || !list.length, 'data-testid': 'predict-run' }, busy ? '…' : t('mon.predict')),
    ),
    error ? h('div', { class: 'form-error', 'data-testid': 'predict-error' }, error) : null,
    result ? results(result.p, result.at, result.from) : null,
  );
}

function results(p: Prediction, at: number, from: string): HTMLElement {
  const hours = (iso: string) => `+${((Date.parse(iso) - at) / 3_600_000).toFixed(1)} h`;
  return h(
    'div',
    { class: 'predict-result', 'data-testid': 'predict-result' },
    h('div', { class: 'muted' }, t('mon.predictFrom', { from, at: showTime(new Date(at).toISOString()) })),
    p.entries.length
      ? h(
          'ul',
          { class: 'plain entries', 'data-testid': 'predict-entries' },
          p.entries.map((e) =>
            h(
              'li',
              { 'data-testid': 'predict-entry', 'data-jurisdiction': e.jurisdiction, 'data-at': e.at },
              h('strong', {}, t('mon.enters', { j: jurisdictionText(e.jurisdiction) })),
              ` ${showTime(e.at)} (${hours(e.at)})`,
              h('span', { class: 'muted' }, ` · ${t('mon.fromJ', { j: jurisdictionText(e.from_jurisdiction) })}`),
            ),
          ),
        )
      : h('div', { class: 'muted' }, t('mon.noEntries')),
    h(
      'table',
      { class: 'grid arrivals', 'data-testid': 'predict-arrivals' },
      h('thead', {}, h('tr', {}, h('th', {}, t('mon.site')), h('th', {}, t('mon.distance')), h('th', {}, t('mon.arrival')), h('th', {}, t('mon.peak')))),
      h(
        'tbody',
        {},
        p.arrivals.map((a) =>
          h(
            'tr',
            { class: `kind-${a.kind}`, 'data-testid': 'predict-arrival', 'data-site': a.site, 'data-arrival': a.arrival },
            h('td', {}, a.name || a.site, h('span', { class: 'tag' }, codeName('mon.site', a.kind))),
            h('td', {}, `${(a.distance_m / 1000).toFixed(1)} km`),
            h('td', {}, `${showTime(a.arrival)} (${hours(a.arrival)})`),
            h('td', {}, a.peak_mg_l != null ? `${fmtValue(a.peak_mg_l)} mg/L${a.peak_at ? ` @ ${showTime(a.peak_at)}` : ''}` : '—'),
          ),
        ),
      ),
    ),
    p.warnings.length ? h('ul', { class: 'plain muted' }, p.warnings.map((w) => h('li', {}, w))) : null,
  );
}
