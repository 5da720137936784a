// The units part of the incident detail: the dispatch panel (for `unit.dispatch`) and the units
// sent (assignments.ts). The panel asks the node for a recommendation without a requirement first,
// so the editor starts from what the node would use (the incident type's run card; the answer's
// `requirement_source` says so), shows each slot's units with their routes on the map (one colour
// per slot, cleared when the panel closes), and dispatches the recommended units in one click or
// one alternative by hand. A straight-line answer (no road network, or an incident far from the
// roads) is announced and never shows a time.
import { ApiError, post } from './api';
import { renderAssignments } from './assignments';
import { h, clear, option } from './dom';
import { codeName, onLanguageChange, t } from './i18n';
import { distanceText, durationText, unitTypeName } from './format';
import { fitTo, overlay } from './map';
import { reloadSelected } from './selection';
import { can } from './session';
import { isOpen, store } from './state';
import type { IncidentDetail, Recommendation, RecommendedUnit, RequirementSlot, SlotAnswer } from './types';
import L from 'leaflet';

/** One colour per slot, for its units' routes and its swatch in the panel. */
export const SLOT_COLORS = ['#4c8dff', '#ff9f1a', '#2ec4b6', '#e5534b', '#c77dff', '#f5d547', '#ff6b9d', '#9be15d'];
const DISPATCHABLE = new Set(['available', 'returning']);

interface Row {
  type: string;
  count: string;
  caps: string;
}

interface Panel {
  incidentId: string;
  rows: Row[];
  answer: Recommendation | null;
  loading: boolean;
  error: string;
  openAlternatives: Set<number>;
}

let panel: Panel | null = null;
let done = { incidentId: '', text: '' }; // what the last dispatch did, shown under the closed panel
let busy = false;
let host: HTMLElement;
const panelEl = h('div', { 'data-testid': 'dispatch' });
const assignmentsEl = h('div');
let closedKey = '';

export function initDispatch(el: HTMLElement): void {
  host = el;
  host.append(panelEl, assignmentsEl);
  store.on('selection', onSelection);
  store.on('units', () => {
    if (panel) renderSlots();
    renderAssignments(assignmentsEl, false);
  });
  onLanguageChange(() => {
    closedKey = '';
    renderPanel();
    renderAssignments(assignmentsEl, true);
  });
  onSelection();
}

const selected = (): IncidentDetail | null => (store.detail && store.detail.id === store.selectedId ? store.detail : null);
const located = (inc: IncidentDetail) => !!inc.location && inc.located !== false;

function onSelection(): void {
  const inc = selected();
  if (panel && (!inc || inc.id !== panel.incidentId || !isOpen(inc) || !located(inc))) closePanel();
  if (!panel) renderPanel();
  renderAssignments(assignmentsEl, false);
}

function closePanel(): void {
  panel = null;
  overlay('routes').clearLayers();
  renderPanel();
}

function message(e: unknown): string {
  return e instanceof ApiError ? `${codeName('error', e.code)}: ${e.message}` : String(e);
}

// --- the panel ---

let editorEl: HTMLElement | null = null;
let slotsEl: HTMLElement | null = null;

function renderPanel(): void {
  const inc = selected();
  if (!panel) {
    editorEl = slotsEl = null;
    const may = !!inc && can('unit.dispatch') && isOpen(inc) && located(inc);
    const key = `${inc?.id}|${may}|${done.incidentId === inc?.id ? done.text : ''}`;
    if (key === closedKey) return;
    closedKey = key;
    clear(panelEl);
    if (!inc || !may) return;
    panelEl.append(
      h(
        'div',
        { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn primary', 'data-testid': 'dispatch-open', onclick: () => void openPanel(inc.id) }, t('dispatch.open')),
        done.incidentId === inc.id && done.text ? h('span', { class: 'tag ok', 'data-testid': 'dispatch-done' }, done.text) : null,
      ),
    );
    return;
  }
  closedKey = '';
  clear(panelEl);
  editorEl = h('div', { class: 'req-editor', 'data-testid': 'req-editor' });
  slotsEl = h('div', { class: 'rec-slots', 'data-testid': 'rec-slots' });
  panelEl.append(
    h(
      'section',
      { class: 'box dispatch', 'data-testid': 'dispatch-panel' },
      h(
        'div',
        { class: 'detail-head' },
        h('h4', {}, t('dispatch.title')),
        h('button', { type: 'button', class: 'btn small ghost', 'data-testid': 'dispatch-close', onclick: closePanel }, t('dispatch.close')),
      ),
      editorEl,
      slotsEl,
    ),
  );
  renderEditor();
  renderSlots();
}

async function openPanel(incidentId: string): Promise<void> {
  panel = { incidentId, rows: [], answer: null, loading: true, error: '', openAlternatives: new Set() };
  done = { incidentId: '', text: '' };
  renderPanel();
  await recommend(false);
}

/** POST …/recommend: without a requirement the first time (the node's default), else the editor's. */
async function recommend(withRequirement: boolean): Promise<void> {
  const p = panel;
  if (!p) return;
  let requirement: RequirementSlot[] | undefined;
  if (withRequirement) {
    const r = requirementOf(p.rows);
    if (typeof r === 'string') {
      p.error = r;
      renderSlots();
      return;
    }
    requirement = r;
  }
  p.loading = true;
  p.error = '';
  renderSlots();
  try {
    const body = requirement ? { requirement, routes: true } : { routes: true };
    const ans = await post<Recommendation>(`/incidents/${encodeURIComponent(p.incidentId)}/recommend`, body);
    if (panel !== p) return;
    p.answer = { ...ans, slots: Array.isArray(ans.slots) ? ans.slots : [] };
    p.openAlternatives.clear();
    if (!withRequirement) {
      const req = Array.isArray(ans.requirement) ? ans.requirement : p.answer.slots;
      p.rows = req.map((s) => ({ type: s.type, count: String(s.count), caps: (s.capabilities ?? []).join(' ') }));
      if (!p.rows.length) p.rows.push(emptyRow());
    }
    renderEditor(); // the rows, and where the requirement came from
  } catch (e) {
    if (panel !== p) return;
    p.answer = null;
    if (!withRequirement && e instanceof ApiError && e.code === 'requirement_needed') {
      // The incident type has no default force: the dispatcher says what is needed.
      p.rows = [emptyRow()];
      p.error = t('dispatch.noDefault');
      renderEditor();
    } else p.error = message(e);
  } finally {
    p.loading = false;
  }
  drawRoutes();
  renderSlots();
}

const emptyRow = (): Row => ({ type: store.taxonomy?.unitTypes[0] ?? 'engine', count: '1', caps: '' });

function requirementOf(rows: Row[]): RequirementSlot[] | string {
  if (!rows.length) return t('dispatch.needRow');
  const out: RequirementSlot[] = [];
  for (const r of rows) {
    const count = Number(r.count);
    if (!Number.isInteger(count) || count < 1 || count > 50) return t('dispatch.badCount');
    const capabilities = r.caps.split(/[\s,，;；]+/).filter(Boolean);
    if (capabilities.some((c) => !/^[A-Za-z0-9_.-]+$/.test(c))) return t('dispatch.badCapability');
    out.push({ type: r.type, count, capabilities: [...new Set(capabilities)].sort() });
  }
  return out;
}

function renderEditor(): void {
  const p = panel;
  if (!p || !editorEl) return;
  clear(editorEl);
  const types = store.taxonomy?.unitTypes ?? [];
  const source = p.answer?.requirement_source;
  editorEl.append(
    h(
      'div',
      { class: 'muted req-source', 'data-testid': 'req-source', 'data-source': source ?? '' },
      t('dispatch.requirement'),
      source ? ` · ${codeName('reqSource', source)}` : '',
    ),
    h(
      'table',
      { class: 'req-rows' },
      h('tbody', {}, p.rows.map((r, i) => editorRow(r, i, types))),
    ),
    h(
      'div',
      { class: 'btn-row' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn small',
          'data-testid': 'req-add',
          onclick: () => {
            p.rows.push(emptyRow());
            renderEditor();
          },
        },
        t('dispatch.addRow'),
      ),
      h('button', { type: 'button', class: 'btn small', 'data-testid': 'recommend', onclick: () => void recommend(true) }, t('dispatch.recommend')),
    ),
  );
}

function editorRow(r: Row, i: number, types: string[]): HTMLElement {
  const p = panel!;
  const known = types.includes(r.type) ? types : [r.type, ...types];
  return h(
    'tr',
    { 'data-testid': 'req-row' },
    h(
      'td',
      {},
      h(
        'select',
        { 'data-testid': 'req-type', onchange: (e: Event) => (r.type = (e.target as HTMLSelectElement).value) },
        known.map((x) => option(x, unitTypeName(x), x === r.type)),
      ),
    ),
    h(
      'td',
      {},
      h('input', {
        type: 'number',
        min: 1,
        max: 50,
        class: 'count-input',
        'data-testid': 'req-count',
        'aria-label': t('dispatch.count'),
        value: r.count,
        oninput: (e: Event) => (r.count = (e.target as HTMLInputElement).value),
      }),
    ),
    h(
      'td',
      { class: 'grow' },
      h('input', {
        'data-testid': 'req-caps',
        placeholder: t('dispatch.capabilitiesShort'),
        title: t('dispatch.capabilities'),
        value: r.caps,
        oninput: (e: Event) => (r.caps = (e.target as HTMLInputElement).value),
      }),
    ),
    h(
      'td',
      {},
      h(
        'button',
        {
          type: 'button',
          class: 'btn small ghost',
          title: t('dispatch.removeRow'),
          'data-testid': 'req-remove',
          onclick: () => {
            p.rows.splice(i, 1);
            renderEditor();
          },
        },
        '×',
      ),
    ),
  );
}

function renderSlots(): void {
  const p = panel;
  if (!p || !slotsEl) return;
  clear(slotsEl);
  const a = p.answer;
  slotsEl.dataset.loading = String(p.loading);
  if (p.error) slotsEl.append(h('div', { class: 'form-error', 'data-testid': 'dispatch-error' }, p.error));
  if (p.loading) slotsEl.append(h('div', { class: 'muted' }, t('dispatch.computing')));
  if (!a) return;
  const straight = a.method !== 'road';
  slotsEl.dataset.method = a.method;
  if (straight)
    slotsEl.append(h('div', { class: 'notice strong', 'data-testid': 'straight-line-notice' }, h('strong', {}, t('dispatch.straightLine')), h('div', {}, t('dispatch.straightLineHint'))));
  if (a.notice) slotsEl.append(h('div', { class: 'notice', 'data-testid': 'rec-notice' }, a.notice));
  if (!a.slots.length) slotsEl.append(h('div', { class: 'muted' }, t('dispatch.noSlots')));
  a.slots.forEach((s, i) => slotsEl!.append(slotView(s, i, straight)));
  const chosen = a.slots.flatMap((s) => s.units);
  const ready = chosen.filter((u) => dispatchable(u.unit_id));
  if (!straight && typeof a.total_eta_s === 'number' && chosen.length)
    slotsEl.append(h('div', { class: 'muted' }, t('dispatch.totalEta', { t: durationText(a.total_eta_s) })));
  slotsEl.append(
    h(
      'div',
      { class: 'btn-row' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn primary',
          'data-testid': 'dispatch-recommended',
          disabled: busy || p.loading || !chosen.length || ready.length !== chosen.length,
          onclick: () => void dispatch(chosen, true),
        },
        t('dispatch.sendRecommended', { n: chosen.length }),
      ),
    ),
  );
}

/** Whether the unit may still be sent, as far as the console knows (the node decides). */
function dispatchable(id: string): boolean {
  const s = store.units.get(id)?.status;
  return s === undefined || DISPATCHABLE.has(s);
}

function slotView(s: SlotAnswer, i: number, straight: boolean): HTMLElement {
  const p = panel!;
  const color = SLOT_COLORS[i % SLOT_COLORS.length];
  const alts = s.alternatives ?? [];
  const details = h(
    'details',
    { class: 'alternatives', 'data-testid': 'rec-alternatives', open: p.openAlternatives.has(i) },
    h('summary', {}, t('dispatch.alternatives', { n: alts.length })),
    unitTable(alts, straight, true),
  );
  details.addEventListener('toggle', () => (details.open ? p.openAlternatives.add(i) : p.openAlternatives.delete(i)));
  return h(
    'div',
    { class: 'rec-slot', 'data-testid': 'rec-slot', 'data-type': s.type, 'data-unfilled': String(s.unfilled ?? 0) },
    h(
      'div',
      { class: 'slot-head' },
      h('span', { class: 'swatch', style: `background:${color}` }),
      h('strong', {}, `${unitTypeName(s.type)} × ${s.count}`),
      (s.capabilities ?? []).map((c) => h('span', { class: 'tag' }, c)),
      s.unfilled ? h('span', { class: 'tag danger', 'data-testid': 'rec-unfilled' }, t('dispatch.unfilled', { n: s.unfilled })) : null,
    ),
    unitTable(s.units, straight, false),
    alts.length ? details : null,
  );
}

function unitTable(units: RecommendedUnit[], straight: boolean, alternatives: boolean): HTMLElement {
  return h(
    'table',
    { class: 'rec-units' },
    h(
      'tbody',
      {},
      units.map((u) => {
        const free = dispatchable(u.unit_id);
        return h(
          'tr',
          { 'data-testid': alternatives ? 'rec-alternative' : 'rec-unit', 'data-unit-id': u.unit_id, class: free ? '' : 'taken' },
          h('td', { class: 'callsign' }, u.call_sign ?? u.unit_id),
          straight
            ? h('td', { class: 'num', title: t('dispatch.straightDistance') }, `${t('dispatch.straightShort')} ${distanceText(u.straight_m)}`)
            : h('td', { class: 'num eta', 'data-testid': 'rec-eta', title: t('dispatch.eta') }, durationText(u.eta_s)),
          straight ? null : h('td', { class: 'num muted', title: t('dispatch.roadDistance') }, typeof u.length_m === 'number' ? distanceText(u.length_m) : ''),
          h(
            'td',
            {},
            staleTag(u),
            u.mutual_aid_rule ? h('span', { class: 'tag info', 'data-testid': 'rec-mutual-aid' }, t('dispatch.mutualAid', { rule: u.mutual_aid_rule })) : null,
            free ? null : h('span', { class: 'tag danger' }, t('dispatch.taken')),
          ),
          alternatives
            ? h(
                'td',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn small',
                    'data-testid': 'rec-dispatch-one',
                    disabled: busy || !free,
                    onclick: () => void dispatch([u], false),
                  },
                  t('dispatch.sendOne'),
                ),
              )
            : null,
        );
      }),
    ),
  );
}

/** A fix too old (warning), or no fix at all: the unit is taken to be at its station. */
function staleTag(u: RecommendedUnit): HTMLElement | null {
  const p = u.position;
  if (!p?.stale) return null;
  if (p.source === 'fix') return h('span', { class: 'tag warn', 'data-testid': 'rec-stale', title: t('dispatch.staleHint') }, t('units.stale'));
  return h('span', { class: 'tag', 'data-testid': 'rec-stale', title: t('units.atStationHint') }, t('units.atStationShort'));
}

async function dispatch(units: RecommendedUnit[], recommended: boolean): Promise<void> {
  const p = panel;
  if (!p || busy || !units.length) return;
  busy = true;
  p.error = '';
  renderSlots();
  try {
    const body = {
      units: units.map((u) => (typeof u.eta_s === 'number' ? { unit_id: u.unit_id, eta_s: u.eta_s } : { unit_id: u.unit_id })),
      recommended,
    };
    const inc = await post<IncidentDetail>(`/incidents/${encodeURIComponent(p.incidentId)}/dispatch`, body);
    const names = units.map((u) => u.call_sign ?? u.unit_id).join('、');
    done = { incidentId: p.incidentId, text: t('dispatch.sent', { n: units.length, names }) };
    if (inc && typeof inc === 'object' && inc.id === p.incidentId && store.detail?.id === inc.id) {
      store.putIncident({ ...store.detail, ...inc });
    }
    busy = false;
    if (panel === p) closePanel();
    store.emit('selection');
    store.emit('incidents');
    await reloadSelected();
  } catch (e) {
    busy = false;
    p.error = message(e);
    renderSlots();
  }
}

function drawRoutes(): void {
  const g = overlay('routes');
  g.clearLayers();
  const p = panel;
  const inc = selected();
  if (!p?.answer || !inc?.location) return;
  const to = L.latLng(inc.location.lat, inc.location.lon);
  p.answer.slots.forEach((s, i) => {
    const color = SLOT_COLORS[i % SLOT_COLORS.length];
    for (const u of s.units) {
      const label = `${u.call_sign ?? u.unit_id} · ${unitTypeName(s.type)}${typeof u.eta_s === 'number' ? ` · ${durationText(u.eta_s)}` : ''}`;
      const coords = u.route?.type === 'LineString' ? u.route.coordinates : null;
      if (coords && coords.length > 1) {
        // Earlier slots wider, so that routes from one station (drawn over each other) all show.
        L.polyline(
          coords.map(([lon, lat]) => [lat, lon] as L.LatLngTuple),
          { color, weight: Math.max(2.5, 9 - 2 * i), opacity: 0.9, interactive: true },
        )
          .bindTooltip(label, { sticky: true })
          .addTo(g);
      } else if (u.position) {
        // No road route (a straight-line answer): a thin dashed line says which unit, not how long.
        L.polyline([[u.position.lat, u.position.lon], to], { color, weight: 2, opacity: 0.8, dashArray: '6 6' })
          .bindTooltip(`${u.call_sign ?? u.unit_id} · ${t('dispatch.straightShort')} ${distanceText(u.straight_m)}`, { sticky: true })
          .addTo(g);
      }
    }
  });
  const b = g.getBounds();
  if (b.isValid()) fitTo(b.extend(to));
}
