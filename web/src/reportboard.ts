// The obligations board: the reports owed now (open or overdue), the soonest deadline first, each
// with a countdown from the node's clock (m:ss under an hour, h:mm beyond), overdue ones in red with
// how late they are, and the rule or plan they come from on hover. "Draft" (report.write) asks the
// node for a new draft of that type, for that incident, from and to those offices, and opens it in
// the editor; an obligation already drafted links its report. Follows the store live; the node's
// clock is fetched again every half minute so the countdowns stay true.
import { post } from './api';
import { h, fill } from './dom';
import { showTime } from './format';
import { onLanguageChange, t } from './i18n';
import { nodeNow, onTick } from './nodeclock';
import { errorText, reportTypeName } from './planfmt';
import { loadObligations, reportChanged, reports } from './reportstate';
import type { Obligation, Report } from './reporttypes';
import { can } from './session';
import { store } from './state';

let root: HTMLElement;
let error = '';
const busy = new Set<string>();

export function initObligationBoard(el: HTMLElement): void {
  root = el;
  reports.on('obligations', render);
  reports.on('reports', render);
  onLanguageChange(render);
  onTick(tick);
  window.setInterval(() => !root.closest('.page')?.hasAttribute('hidden') && void loadObligations().then(() => reports.emit('obligations')), 30000);
  render();
}

/** A jurisdiction's name from the node's tree (its code when unknown). */
export function placeName(code: string | null | undefined): string {
  if (!code) return '—';
  const name = store.node?.divisions.get(code);
  return name && name !== code ? `${name} (${code})` : code;
}

/** Time left (or past) as m:ss under an hour, h:mm beyond. */
export function leftText(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const pad = (x: number) => String(x).padStart(2, '0');
  const hours = Math.floor(s / 3600);
  return hours ? `${hours}:${pad(Math.floor((s % 3600) / 60))}` : `${Math.floor(s / 60)}:${pad(s % 60)}`;
}

/** The countdown's text and class for an obligation at node-now. */
function countdown(o: Obligation): { text: string; late: boolean } {
  const left = Date.parse(o.due_at) - nodeNow();
  if (o.status === 'overdue' || left <= 0) return { text: t('rep.lateBy', { d: leftText(left) }), late: true };
  return { text: t('rep.dueIn', { d: leftText(left) }), late: false };
}

function tick(): void {
  if (!root || root.closest('.page')?.hasAttribute('hidden')) return;
  root.querySelectorAll<HTMLElement>('[data-testid="obligation-row"]').forEach((row) => {
    const o = reports.obligations.get(row.dataset.obligationId ?? '');
    const span = row.querySelector<HTMLElement>('[data-testid="obligation-countdown"]');
    if (!o || !span) return;
    const c = countdown(o);
    span.textContent = c.text;
    row.classList.toggle('overdue', c.late);
  });
}

function render(): void {
  const list = reports.activeObligations();
  const overdue = list.filter((o) => countdown(o).late).length;
  fill(
    root,
    h(
      'div',
      { class: 'panel-head' },
      h('h2', {}, t('rep.obligations')),
      h('span', { class: 'count', 'data-testid': 'obligation-count' }, String(list.length)),
      overdue ? h('span', { class: 'tag danger', 'data-testid': 'overdue-count' }, t('rep.overdueCount', { n: overdue })) : null,
    ),
    reports.errors.get('obligations') ? h('div', { class: 'form-error' }, reports.errors.get('obligations')!) : null,
    error ? h('div', { class: 'form-error', 'data-testid': 'obligation-error' }, error) : null,
    h(
      'ul',
      { class: 'rep-list', 'data-testid': 'obligation-list' },
      list.length ? list.map(row) : h('li', { class: 'empty small', 'data-testid': 'obligation-none' }, reports.loaded ? t('rep.noObligations') : t('app.loading')),
    ),
  );
}

function row(o: Obligation): HTMLElement {
  const c = countdown(o);
  const incident = o.incident_id ? store.incidents.get(o.incident_id) : undefined;
  const drafted = (o.report_id ? reports.reports.get(o.report_id) : undefined) ?? openDraft(o);
  return h(
    'li',
    {
      class: `rep-row obligation${c.late ? ' overdue' : ''}`,
      'data-testid': 'obligation-row',
      'data-obligation-id': o.id,
      'data-status': o.status,
      'data-incident-id': o.incident_id,
      'data-report-type': o.report_type,
      'data-to': o.to_jurisdiction,
      'data-from-tier': o.from_tier,
      title: o.basis ? `${t('rep.basis')}: ${o.basis}` : '',
    },
    h(
      'div',
      { class: 'rep-head' },
      h('strong', {}, reportTypeName(o.report_type)),
      o.channel === 'phone' ? h('span', { class: 'tag warn' }, t('rep.channel.phone')) : null,
      h('span', { class: 'countdown', 'data-testid': 'obligation-countdown' }, c.text),
    ),
    h(
      'div',
      { class: 'rep-meta muted' },
      h('span', {}, `${placeName(o.jurisdiction)} → ${placeName(o.to_jurisdiction)}`),
      o.incident_id ? h('span', {}, incident?.title ? `${o.incident_id} · ${incident.title}` : o.incident_id) : null,
      h('span', {}, `${t('rep.due')} ${showTime(o.due_at)}`),
      o.escalated_to ? h('span', { class: 'tag danger' }, t('rep.escalatedTo', { to: o.escalated_to })) : null,
    ),
    o.basis ? h('div', { class: 'rep-basis muted small', 'data-testid': 'obligation-basis' }, o.basis) : null,
    h(
      'div',
      { class: 'btn-row' },
      drafted
        ? h('a', { class: 'btn small', href: `#reports/${encodeURIComponent(drafted.id)}`, 'data-testid': 'obligation-open' }, t('rep.openDraft', { id: drafted.id }))
        : can('report.write')
          ? h('button', { type: 'button', class: 'btn small primary', disabled: busy.has(o.id), 'data-testid': 'obligation-draft', onclick: () => void draft(o) }, t('rep.draft'))
          : null,
    ),
  );
}

/** A draft already begun for the obligation (same offices, type and incident), the newest. */
function openDraft(o: Obligation): Report | undefined {
  return reports.list((r) => r.status === 'draft' && r.type === o.report_type && r.jurisdiction === o.jurisdiction && r.to_jurisdiction === o.to_jurisdiction && (r.incident_id ?? '') === (o.incident_id ?? ''))[0];
}

async function draft(o: Obligation): Promise<void> {
  busy.add(o.id);
  error = '';
  render();
  try {
    const body: Record<string, string> = { type: o.report_type, jurisdiction: o.jurisdiction, to_jurisdiction: o.to_jurisdiction, channel: o.channel };
    if (o.incident_id) body.incident_id = o.incident_id;
    const r = await post<Report>('/reports', body);
    reportChanged(r);
    location.hash = `#reports/${encodeURIComponent(r.id)}`;
  } catch (e) {
    error = errorText(e);
  } finally {
    busy.delete(o.id);
    render();
  }
}
