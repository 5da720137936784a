// The audit page (audit.read): the journal's events filtered by who, type prefix and time range
// (GET /api/v1/audit, paged by seq), exported with the same filters (CSV, NDJSON), and the hash
// chain verified on request (GET /api/v1/audit/verify).
import { API, ApiError, get } from './api';
import { h, clear, option } from './dom';
import { jurisdictionText } from './header';
import { codeName, onLanguageChange, t } from './i18n';
import { showTime, wallToRfc3339 } from './format';
import { store } from './state';
import type { AuditEvent } from './types';

const PAGE = 50;
// Prefixes offered in the type filter (any prefix may be typed).
const TYPE_HINTS = ['personal.revealed', 'access.refused', 'session.', 'person.', 'key.', 'alarm.', 'incident.', 'unit.'];

interface Filters {
  by: string;
  type: string;
  jurisdiction: string; // '' = all the permission covers
  from: string; // as typed (datetime-local, node's zone)
  to: string;
}

interface Verify {
  ok: boolean;
  checked?: number;
  first_bad_seq?: number | null;
  message?: string;
}

const typed: Filters = { by: '', type: '', jurisdiction: '', from: '', to: '' };
let applied: Filters = { ...typed };
let afters: number[] = [0]; // the `after` of each page visited; the last is the current page
let events: AuditEvent[] = [];
let nextAfter: number | null = null;
let loading = false;
let errorText = '';
let verify: Verify | null = null;
let verifyError = '';
let verifying = false;

let root: HTMLElement;

export function initAudit(el: HTMLElement): void {
  root = el;
  onLanguageChange(render);
  render();
  void load();
}

/** The query of the applied filters (without paging), for both the list and the export. */
function filterQuery(f: Filters): URLSearchParams {
  const q = new URLSearchParams();
  const zone = store.node?.timeZone ?? 'Asia/Shanghai';
  if (f.by.trim()) q.set('by', f.by.trim());
  if (f.type.trim()) q.set('type', f.type.trim());
  if (f.jurisdiction) q.set('jurisdiction', f.jurisdiction);
  const from = f.from ? wallToRfc3339(f.from, zone) : null;
  const to = f.to ? wallToRfc3339(f.to, zone) : null;
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  return q;
}

async function load(): Promise<void> {
  loading = true;
  errorText = '';
  render();
  const q = filterQuery(applied);
  q.set('after', String(afters[afters.length - 1]));
  q.set('limit', String(PAGE));
  try {
    const r = await get<{ events?: AuditEvent[]; next_after?: number | null }>(`/audit?${q}`);
    events = Array.isArray(r.events) ? r.events : [];
    nextAfter = typeof r.next_after === 'number' ? r.next_after : null;
  } catch (e) {
    events = [];
    nextAfter = null;
    errorText = e instanceof ApiError ? `${codeName('error', e.code)}: ${e.message}` : String(e);
  } finally {
    loading = false;
  }
  render();
}

async function runVerify(): Promise<void> {
  verifying = true;
  verify = null;
  verifyError = '';
  render();
  try {
    verify = await get<Verify>('/audit/verify');
  } catch (e) {
    verifyError = e instanceof ApiError ? `${codeName('error', e.code)}: ${e.message}` : String(e);
  } finally {
    verifying = false;
  }
  render();
}

/** who / from: a string, or an object naming a person or key. */
function actor(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    const parts = [o.name, o.id, o.address, o.kind].filter((x) => typeof x === 'string' && x);
    return parts.length ? String(parts[0]) + (parts[1] && parts[1] !== parts[0] ? ` (${parts[1]})` : '') : JSON.stringify(v);
  }
  return v == null ? '' : String(v);
}

function summary(data: Record<string, unknown> | undefined): { text: string; full: string } {
  if (!data) return { text: '', full: '' };
  const rest = Object.entries(data).filter(([k]) => k !== 'by' && k !== 'from');
  const val = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  const text = rest.map(([k, v]) => `${k}=${val(v)}`).join(' · ');
  return { text: text.length > 160 ? `${text.slice(0, 159)}…` : text, full: JSON.stringify(Object.fromEntries(rest), null, 1) };
}

function render(): void {
  if (!root) return;
  clear(root);
  const input = (key: keyof Filters, testid: string, attrs: Record<string, string> = {}) =>
    h('input', {
      'data-testid': testid,
      value: typed[key],
      autocomplete: 'off',
      ...attrs,
      oninput: (e: Event) => (typed[key] = (e.target as HTMLInputElement).value),
    });
  const label = (text: string, control: HTMLElement) => h('label', { class: 'filter' }, h('span', {}, text), control);
  const q = filterQuery(applied);
  const exportHref = (format: string) => `${API}/audit/export?${new URLSearchParams([['format', format], ...q])}`;
  const page = afters.length;

  root.append(
    h(
      'div',
      { class: 'panel audit', 'data-testid': 'audit' },
      h('div', { class: 'panel-head' }, h('h2', { 'data-testid': 'audit-title' }, t('audit.title')), h('span', { class: 'muted' }, t('audit.subtitle'))),
      h(
        'form',
        {
          class: 'filters',
          'data-testid': 'audit-filters',
          onsubmit: (e: Event) => {
            e.preventDefault();
            applied = { ...typed };
            afters = [0];
            void load();
          },
        },
        label(t('audit.by'), input('by', 'audit-by', { placeholder: t('audit.byHint') })),
        label(t('audit.type'), input('type', 'audit-type', { list: 'audit-type-hints', placeholder: 'alarm.' })),
        h('datalist', { id: 'audit-type-hints' }, TYPE_HINTS.map((p) => h('option', { value: p }))),
        label(
          t('audit.jurisdiction'),
          h(
            'select',
            { 'data-testid': 'audit-jurisdiction', onchange: (e: Event) => (typed.jurisdiction = (e.target as HTMLSelectElement).value) },
            option('', t('board.all'), typed.jurisdiction === ''),
            [...(store.node?.divisions.keys() ?? [])].map((code) => option(code, jurisdictionText(code), code === typed.jurisdiction)),
          ),
        ),
        label(t('audit.from'), input('from', 'audit-from', { type: 'datetime-local', step: '1' })),
        label(t('audit.to'), input('to', 'audit-to', { type: 'datetime-local', step: '1' })),
        h('span', { class: 'muted' }, t('audit.zone', { zone: store.node?.timeZone ?? 'Asia/Shanghai' })),
        h('button', { type: 'submit', class: 'btn primary small', 'data-testid': 'audit-search', disabled: loading }, t('audit.search')),
        h(
          'button',
          {
            type: 'button',
            class: 'btn small ghost',
            'data-testid': 'audit-clear',
            onclick: () => {
              Object.assign(typed, { by: '', type: '', jurisdiction: '', from: '', to: '' });
              applied = { ...typed };
              afters = [0];
              void load();
            },
          },
          t('audit.clear'),
        ),
      ),
      h(
        'div',
        { class: 'audit-tools' },
        h('span', { class: 'muted' }, t('audit.export')),
        h('a', { class: 'btn small', 'data-testid': 'audit-export-csv', href: exportHref('csv'), download: 'audit.csv' }, 'CSV'),
        h('a', { class: 'btn small', 'data-testid': 'audit-export-ndjson', href: exportHref('ndjson'), download: 'audit.ndjson' }, 'NDJSON'),
        h('span', { class: 'spacer' }),
        h('button', { type: 'button', class: 'btn small', 'data-testid': 'audit-verify', disabled: verifying, onclick: () => void runVerify() }, t(verifying ? 'audit.verifying' : 'audit.verify')),
        verify
          ? h(
              'span',
              { class: `tag ${verify.ok ? 'ok' : 'danger'}`, 'data-testid': 'audit-verify-result', 'data-ok': String(verify.ok) },
              verify.ok
                ? t('audit.verifyOk', { n: verify.checked ?? 0 })
                : t('audit.verifyBad', { seq: verify.first_bad_seq ?? '?', message: verify.message ?? '' }),
            )
          : null,
        verifyError ? h('span', { class: 'tag danger', 'data-testid': 'audit-verify-result', 'data-ok': 'false' }, verifyError) : null,
      ),
      errorText ? h('div', { class: 'form-error', 'data-testid': 'audit-error' }, errorText) : null,
      h(
        'div',
        { class: 'board-body' },
        h(
          'table',
          { class: 'board audit-table', 'data-testid': 'audit-table', 'data-loading': String(loading) },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [t('audit.colTime'), t('audit.colSeq'), t('audit.colType'), t('audit.colBy'), t('audit.colFrom'), t('audit.colJurisdiction'), t('audit.colData')].map((c) =>
                h('th', {}, c),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            events.map((ev) => {
              const s = summary(ev.data);
              return h(
                'tr',
                { 'data-testid': 'audit-row', 'data-seq': String(ev.seq), 'data-type': ev.type },
                h('td', { class: 'time' }, showTime(ev.time, 'long')),
                h('td', { class: 'num' }, String(ev.seq)),
                h('td', { title: codeName('event', ev.type) }, h('code', { 'data-testid': 'audit-type-cell' }, ev.type)),
                h('td', { 'data-testid': 'audit-by-cell' }, actor(ev.data?.by)),
                h('td', {}, actor(ev.data?.by_address)),
                h('td', {}, ev.jurisdiction ?? ''),
                h('td', { class: 'audit-data', title: s.full }, s.text),
              );
            }),
          ),
        ),
        !loading && !events.length && !errorText ? h('div', { class: 'empty', 'data-testid': 'audit-empty' }, t('audit.empty')) : null,
      ),
      h(
        'div',
        { class: 'pager' },
        h(
          'button',
          {
            type: 'button',
            class: 'btn small',
            'data-testid': 'audit-prev',
            disabled: loading || page <= 1,
            onclick: () => {
              afters.pop();
              void load();
            },
          },
          t('audit.prev'),
        ),
        h('span', { class: 'muted', 'data-testid': 'audit-page' }, t('audit.page', { n: page })),
        h(
          'button',
          {
            type: 'button',
            class: 'btn small',
            'data-testid': 'audit-next',
            disabled: loading || nextAfter === null,
            onclick: () => {
              if (nextAfter === null) return;
              afters.push(nextAfter);
              void load();
            },
          },
          t('audit.next'),
        ),
      ),
    ),
  );
}
