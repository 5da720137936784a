// The receiving level's side: the inbox (reports submitted to the chosen jurisdiction — the
// person's own by default — newest first, live, those not yet acknowledged counted and highlighted)
// and the reader of one report: its last submitted version read-only, with Acknowledge (the receipt)
// and Return with a reason (for completion) when the person holds report.review. The node decides
// whether they may review for that jurisdiction; its refusal is shown.
import { post } from './api';
import { h, fill, option } from './dom';
import { showTime } from './format';
import { onLanguageChange, t } from './i18n';
import { errorText, reportTypeName } from './planfmt';
import { placeName } from './reportboard';
import { myJurisdictions, reportChanged, reports } from './reportstate';
import { latestContent, versionCount, who, type Report } from './reporttypes';
import { contentList, delayText, documentLinks, reportHead, statusText, versionHistory } from './reportview';
import { can } from './session';

let listEl: HTMLElement;

export function initInbox(el: HTMLElement): void {
  listEl = el;
  if (!reports.inboxOf) reports.inboxOf = myJurisdictions()[0] ?? '';
  reports.on('reports', render);
  reports.on('selection', render);
  onLanguageChange(render);
  render();
}

/** Reports sent to the jurisdiction (drafts are the sender's own business). */
const inbox = (to: string) => reports.list((r) => r.to_jurisdiction === to && r.status !== 'draft');

function render(): void {
  const list = inbox(reports.inboxOf);
  const waiting = list.filter((r) => r.status === 'submitted').length;
  const choices = myJurisdictions();
  fill(
    listEl,
    h(
      'div',
      { class: 'panel-head' },
      h('h2', {}, t('rep.inbox')),
      h('span', { class: 'count', 'data-testid': 'inbox-count' }, String(list.length)),
      waiting ? h('span', { class: 'tag warn', 'data-testid': 'inbox-waiting' }, t('rep.waitingCount', { n: waiting })) : null,
      choices.length > 1
        ? h(
            'select',
            {
              'data-testid': 'inbox-of',
              onchange: (e: Event) => {
                reports.inboxOf = (e.target as HTMLSelectElement).value;
                render();
              },
            },
            choices.map((j) => option(j, placeName(j), j === reports.inboxOf)),
          )
        : h('span', { class: 'muted small' }, placeName(reports.inboxOf)),
    ),
    reports.errors.get('reports') ? h('div', { class: 'form-error' }, reports.errors.get('reports')!) : null,
    h(
      'ul',
      { class: 'rep-list', 'data-testid': 'inbox-list', role: 'status', 'aria-live': 'polite' },
      list.length ? list.map((r) => reportRow(r, 'inbox-row')) : h('li', { class: 'empty small', 'data-testid': 'inbox-none' }, reports.loaded ? t('rep.inboxEmpty') : t('app.loading')),
    ),
  );
}

/** A report in a list (the inbox, the office's own): a link to it, its state at a glance. */
export function reportRow(r: Report, testid: string): HTMLElement {
  const n = versionCount(r);
  return h(
    'li',
    {
      class: `rep-row st-${r.status}${reports.selected === r.id ? ' selected' : ''}${reports.fresh.has(r.id) ? ' fresh' : ''}`,
      'data-testid': testid,
      'data-report-id': r.id,
      'data-status': r.status,
      'data-type': r.type,
      'data-incident-id': r.incident_id,
    },
    h(
      'a',
      { class: 'rep-head', href: `#reports/${encodeURIComponent(r.id)}` },
      h('strong', {}, reportTypeName(r.type)),
      h('span', { class: 'rep-title' }, r.title || r.incident_id || r.id),
      h('span', { class: `tag rep-status st-${r.status}` }, statusText(r.status)),
      r.late ? h('span', { class: 'tag danger' }, t('rep.lateBy', { d: delayText(r.delay_ms) })) : null,
    ),
    h(
      'div',
      { class: 'rep-meta muted' },
      h('span', {}, r.id),
      h('span', {}, `${placeName(r.jurisdiction)} → ${placeName(r.to_jurisdiction)}`),
      n ? h('span', {}, t('rep.version', { n })) : null,
      h('span', {}, showTime(r.updated_at)),
    ),
  );
}

// ---- the reader ----

const reasons = new Map<string, string>();
const rowErrors = new Map<string, string>();
const results = new Map<string, string>();
const busy = new Set<string>();

/** One report as its receiver reads it, with the review actions. */
export function readerPane(r: Report): HTMLElement {
  const review = r.may_review ?? can('report.review');
  const last = r.versions[r.versions.length - 1];
  const mayReceive = review && r.status === 'submitted';
  const mayReturn = review && (r.status === 'submitted' || r.status === 'received');
  const working = busy.has(r.id);
  const err = rowErrors.get(r.id);
  const done = results.get(r.id);
  return h(
    'div',
    { class: 'rep-reader', 'data-testid': 'rep-reader', 'data-report-id': r.id, 'data-status': r.status },
    reportHead(r),
    last
      ? h('div', { class: 'small muted' }, t('rep.readingVersion', { n: last.number, at: showTime(last.submitted_at), by: who(last.by) }))
      : h('div', { class: 'small muted' }, t('rep.notSubmitted')),
    contentList(r.type, latestContent(r)),
    done ? h('div', { class: 'result', 'data-testid': 'reader-result' }, done) : null,
    err ? h('div', { class: 'form-error', 'data-testid': 'reader-error' }, err) : null,
    mayReceive || mayReturn
      ? h(
          'div',
          { class: 'btn-row rep-actions' },
          mayReceive ? h('button', { type: 'button', class: 'btn primary', disabled: working, 'data-testid': 'reader-receive', onclick: () => void act(r, 'receive') }, t('rep.receive')) : null,
          mayReturn
            ? h('input', {
                'data-testid': 'reader-reason',
                placeholder: t('rep.returnReason'),
                value: reasons.get(r.id) ?? '',
                oninput: (e: Event) => reasons.set(r.id, (e.target as HTMLInputElement).value),
              })
            : null,
          mayReturn ? h('button', { type: 'button', class: 'btn danger', disabled: working, 'data-testid': 'reader-return', onclick: () => void act(r, 'return') }, t('rep.return')) : null,
        )
      : null,
    h('div', { class: 'btn-row' }, documentLinks(r)),
    versionHistory(r),
  );
}

async function act(r: Report, what: 'receive' | 'return'): Promise<void> {
  const reason = (reasons.get(r.id) ?? '').trim();
  rowErrors.delete(r.id);
  results.delete(r.id);
  if (what === 'return' && !reason) {
    rowErrors.set(r.id, t('rep.reasonNeeded'));
    return reports.emit('selection');
  }
  busy.add(r.id);
  reports.emit('selection');
  try {
    const answer = await post<Report>(`/reports/${encodeURIComponent(r.id)}/${what}`, what === 'return' ? { reason } : {});
    reasons.delete(r.id);
    results.set(r.id, what === 'receive' ? t('rep.receivedDone', { id: r.id }) : t('rep.returnedDone', { id: r.id }));
    reportChanged(answer);
  } catch (e) {
    rowErrors.set(r.id, errorText(e));
  } finally {
    busy.delete(r.id);
    reports.emit('selection');
  }
}
