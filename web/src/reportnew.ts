// The office's own reports and a new one. The list: reports drafted by the person's offices, newest
// first, live (a returned one flagged). The form (report.write): a type; an incident for initial,
// progress and final reports (the open incidents the console knows, or an id typed); a period for a
// daily report or bulletin (empty: the node takes the previous local day); the channel. The node
// pre-fills the draft from the record and it opens in the editor. An incident's report is drafted
// for the incident's office; any other for the person's (a choice when they act for several).
import { post } from './api';
import { h, fill, option } from './dom';
import { wallToRfc3339 } from './format';
import { onLanguageChange, t } from './i18n';
import { errorText, reportTypeName } from './planfmt';
import { placeName } from './reportboard';
import { reportRow } from './reportinbox';
import { myJurisdictions, reportChanged, reports } from './reportstate';
import { INCIDENT_TYPES, PERIOD_TYPES, REPORT_TYPES, type Report, type ReportType } from './reporttypes';
import { can } from './session';
import { store } from './state';

let listEl: HTMLElement;
let formEl: HTMLElement | null = null;
let type: ReportType = 'initial';
let incident = '';
let periodFrom = '';
let periodTo = '';
let channel = 'written';
let office = ''; // the drafting office of a report without an incident ('' = the person's own)
let error = '';
let busy = false;

export function initOwnReports(list: HTMLElement, form: HTMLElement | null): void {
  listEl = list;
  formEl = form;
  reports.on('reports', renderList);
  reports.on('selection', renderList);
  onLanguageChange(() => {
    renderList();
    renderForm();
  });
  if (formEl) store.on('incidents', refreshIncidents);
  renderList();
  renderForm();
}

function renderList(): void {
  const mine = myJurisdictions();
  const list = reports.list((r) => mine.includes(r.jurisdiction));
  const returned = list.filter((r) => r.status === 'returned').length;
  fill(
    listEl,
    h(
      'div',
      { class: 'panel-head' },
      h('h2', {}, t('rep.own')),
      h('span', { class: 'count', 'data-testid': 'own-count' }, String(list.length)),
      returned ? h('span', { class: 'tag danger' }, t('rep.returnedCount', { n: returned })) : null,
    ),
    h(
      'ul',
      { class: 'rep-list', 'data-testid': 'own-list' },
      list.length ? list.map((r) => reportRow(r, 'own-row')) : h('li', { class: 'empty small' }, reports.loaded ? t('rep.noOwn') : t('app.loading')),
    ),
  );
}

/** The incidents offered (only the list: a re-render would take the focus from a field). */
function refreshIncidents(): void {
  const list = formEl?.querySelector('datalist');
  if (list) fill(list, store.openIncidents().map((i) => option(i.id, `${i.id} ${i.title ?? ''}`)));
}

function renderForm(): void {
  if (!formEl || !can('report.write')) return;
  const zone = store.node?.timeZone ?? 'Asia/Shanghai';
  const incidents = store.openIncidents();
  const needsIncident = INCIDENT_TYPES.includes(type);
  const period = PERIOD_TYPES.includes(type);
  const typed = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);
  fill(
    formEl,
    h('div', { class: 'panel-head' }, h('h2', {}, t('rep.new'))),
    h(
      'div',
      { class: 'rep-new' },
      h(
        'div',
        { class: 'field' },
        h('label', {}, t('rep.type')),
        h(
          'select',
          {
            'data-testid': 'new-type',
            onchange: (e: Event) => {
              type = (e.target as HTMLSelectElement).value as ReportType;
              renderForm();
            },
          },
          REPORT_TYPES.map((x) => option(x, reportTypeName(x), x === type)),
        ),
      ),
      needsIncident || type === 'special'
        ? h(
            'div',
            { class: 'field' },
            h('label', {}, needsIncident ? t('rep.incident') : t('rep.incidentOptional')),
            h('input', { 'data-testid': 'new-incident', list: 'rep-incidents', value: incident, placeholder: '441200-INC-1', oninput: typed((v) => (incident = v.trim())) }),
            h('datalist', { id: 'rep-incidents' }, incidents.map((i) => option(i.id, `${i.id} ${i.title ?? ''}`))),
          )
        : null,
      period
        ? h(
            'div',
            { class: 'field' },
            h('label', {}, t('rep.period')),
            h(
              'div',
              { class: 'control' },
              h('input', { type: 'datetime-local', 'data-testid': 'new-period-from', value: periodFrom, onchange: typed((v) => (periodFrom = v)) }),
              h('input', { type: 'datetime-local', 'data-testid': 'new-period-to', value: periodTo, onchange: typed((v) => (periodTo = v)) }),
            ),
            h('div', { class: 'muted small' }, t('rep.periodHint', { zone })),
          )
        : null,
      !needsIncident && myJurisdictions().length > 1
        ? h(
            'div',
            { class: 'field' },
            h('label', {}, t('rep.office')),
            h('select', { 'data-testid': 'new-office', onchange: typed((v) => (office = v)) }, myJurisdictions().map((j) => option(j, placeName(j), j === office))),
          )
        : null,
      h(
        'div',
        { class: 'field' },
        h('label', {}, t('rep.channel')),
        h('select', { 'data-testid': 'new-channel', onchange: typed((v) => (channel = v)) }, ['written', 'phone'].map((c) => option(c, t(c === 'phone' ? 'rep.channel.phone' : 'rep.channel.written'), c === channel))),
      ),
      error ? h('div', { class: 'form-error', 'data-testid': 'new-error' }, error) : null,
      h('button', { type: 'button', class: 'btn primary', disabled: busy, 'data-testid': 'new-draft', onclick: () => void create() }, t('rep.createDraft')),
    ),
  );
}

async function create(): Promise<void> {
  const zone = store.node?.timeZone ?? 'Asia/Shanghai';
  const body: Record<string, string> = { type, channel };
  if (INCIDENT_TYPES.includes(type) && !incident) {
    error = t('rep.incidentNeeded');
    return renderForm();
  }
  if ((INCIDENT_TYPES.includes(type) || type === 'special') && incident) body.incident_id = incident;
  // An incident's report is the incident's office's (the node's default); any other is the person's.
  const own = office || myJurisdictions()[0];
  if (!body.incident_id && own) body.jurisdiction = own;
  if (PERIOD_TYPES.includes(type)) {
    for (const [k, v] of [['period_from', periodFrom], ['period_to', periodTo]] as const) {
      if (!v) continue;
      const iso = wallToRfc3339(v, zone);
      if (!iso) {
        error = t('rep.badTime', { value: v });
        return renderForm();
      }
      body[k] = iso;
    }
  }
  busy = true;
  error = '';
  renderForm();
  try {
    const r = await post<Report>('/reports', body);
    reportChanged(r);
    location.hash = `#reports/${encodeURIComponent(r.id)}`;
  } catch (e) {
    error = errorText(e);
  } finally {
    busy = false;
    renderForm();
  }
}
