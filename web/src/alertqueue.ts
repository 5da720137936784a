// The approval queue: outgoing alerts waiting for a second person (orange needs
// warning.approve.orange, red warning.approve.red, and never their drafter). Each shows its level,
// who drafted and submitted it, and the CAP document it would be (a preview: the identifier and
// time are given when it is approved). Approve (an optional note) and reject (a reason, required)
// are offered only when the node says the person may (GET /alerts/{id} → may_approve); otherwise
// the row says why not. The node's refusals are shown on the row. Rows come and go live with the
// `alert.*` events.
import { get, post } from './api';
import { issueList } from './alertpreview';
import { alertChanged, alerts } from './alertstate';
import type { Alert, Preview } from './alerttypes';
import { h, fill } from './dom';
import { showTime } from './format';
import { codeName, onLanguageChange, t } from './i18n';
import { levelText } from './monmap';
import { errorText } from './planfmt';
import { can, current } from './session';

interface Detail {
  updatedAt: string;
  mayApprove: boolean | null; // null: not known yet
  preview: Preview | null;
  error: string; // loading the detail or the preview failed
}

let root: HTMLElement;
const details = new Map<string, Detail>();
const rowErrors = new Map<string, string>();
const notes = new Map<string, string>();
const busy = new Set<string>();
let result = '';

export function initQueue(el: HTMLElement): void {
  root = el;
  alerts.on('alerts', render);
  onLanguageChange(render);
  render();
}

const pending = () => alerts.list((a) => a.direction === 'outgoing' && a.state === 'pending_approval');

function render(): void {
  const list = pending();
  for (const a of list) ensureDetail(a);
  for (const id of [...details.keys()]) if (!list.some((a) => a.id === id)) details.delete(id);
  // A note being typed keeps its focus across a re-render (an event may come meanwhile).
  const focused = (document.activeElement as HTMLElement | null)?.closest?.('[data-testid="queue-row"]')?.getAttribute('data-alert-id');
  const typing = document.activeElement?.getAttribute('data-testid') === 'queue-note' ? focused : null;
  fill(
    root,
    h('div', { class: 'panel-head' }, h('h2', {}, t('alert.queue')), h('span', { class: 'count', 'data-testid': 'queue-count' }, String(list.length))),
    result ? h('div', { class: 'result', 'data-testid': 'queue-result' }, result) : null,
    h(
      'ul',
      { class: 'alert-list', 'data-testid': 'approval-queue', role: 'status', 'aria-live': 'polite' },
      list.length ? list.map(row) : h('li', { class: 'empty small', 'data-testid': 'queue-none' }, alerts.loaded ? t('alert.queueEmpty') : t('app.loading')),
    ),
  );
  if (typing) root.querySelector<HTMLInputElement>(`[data-testid="queue-row"][data-alert-id="${CSS.escape(typing)}"] [data-testid="queue-note"]`)?.focus();
}

/** GET /alerts/{id} (may_approve) and the preview of its document, once per version of the alert. */
function ensureDetail(a: Alert): void {
  const d = details.get(a.id);
  if (d && d.updatedAt === a.updated_at) return;
  const next: Detail = { updatedAt: a.updated_at, mayApprove: null, preview: null, error: '' };
  details.set(a.id, next);
  const mine = () => details.get(a.id) === next;
  void get<Alert>(`/alerts/${encodeURIComponent(a.id)}`).then(
    (full) => {
      if (!mine()) return;
      next.mayApprove = !!full.may_approve;
      render();
    },
    (e: unknown) => {
      if (!mine()) return;
      next.mayApprove = false;
      next.error = errorText(e);
      render();
    },
  );
  if (!can('warning.issue')) return; // the preview route needs it; the content is shown instead
  const body = { warning_id: a.warning_id, msg_type: a.msg_type, status: a.cap_status, content: a.content, ...(a.replaces ? { replaces: a.replaces } : {}) };
  void post<Preview>('/alerts/preview', body).then(
    (p) => {
      if (!mine()) return;
      next.preview = p;
      render();
    },
    (e: unknown) => {
      if (!mine()) return;
      next.error = errorText(e);
      render();
    },
  );
}

function whyNot(a: Alert): string {
  const me = current()?.id ?? '';
  if (a.steps.some((s) => (s.action === 'drafted' || s.action === 'submitted') && s.by === me) || a.drafted_by === me) return t('alert.notYours');
  if (!can(a.approval)) return t('alert.needPermission', { permission: a.approval });
  return t('alert.mayNot');
}

function row(a: Alert): HTMLElement {
  const d = details.get(a.id);
  const submitted = [...a.steps].reverse().find((s) => s.action === 'submitted');
  const working = busy.has(a.id);
  const note = h('input', {
    'data-testid': 'queue-note',
    placeholder: t('alert.reviewNote'),
    value: notes.get(a.id) ?? '',
    oninput: (e: Event) => notes.set(a.id, (e.target as HTMLInputElement).value),
  });
  const err = rowErrors.get(a.id);
  return h(
    'li',
    { class: `alert-row lv-${a.level}${alerts.fresh.has(a.id) ? ' fresh' : ''}`, 'data-testid': 'queue-row', 'data-alert-id': a.id, 'data-level': a.level, 'data-may-approve': d?.mayApprove == null ? '' : String(d.mayApprove) },
    h(
      'div',
      { class: 'alert-head' },
      h('span', { class: `level-chip lv-${a.level}` }, levelText(a.level)),
      h('strong', {}, a.content.headline || a.content.event),
      h('span', { class: 'tag' }, codeName('alert.msgType', a.msg_type)),
      a.cap_status !== 'Actual' ? h('span', { class: 'tag warn' }, codeName('alert.capStatus', a.cap_status)) : null,
    ),
    h(
      'div',
      { class: 'alert-meta muted' },
      `${a.id} · ${t('alert.draftedBy', { by: a.drafted_by })}`,
      submitted ? ` · ${t('alert.submittedAt', { by: submitted.by, at: showTime(submitted.at) })}` : '',
      ` · ${t('alert.needs', { permission: a.approval })}`,
    ),
    d?.error ? h('div', { class: 'form-error small' }, d.error) : null,
    d?.preview
      ? h('details', { class: 'alert-xml' }, h('summary', {}, t('alert.previewXml')), d.preview.issues.length ? issueList(d.preview.issues, 'queue-issues') : null, h('pre', { class: 'cap-xml', 'data-testid': 'queue-xml' }, d.preview.xml))
      : h('div', { class: 'alert-desc' }, a.content.description),
    d?.mayApprove
      ? h(
          'div',
          { class: 'btn-row' },
          note,
          h('button', { type: 'button', class: 'btn small primary', disabled: working, 'data-testid': 'queue-approve', onclick: () => void review(a, true) }, t('alert.approve')),
          h('button', { type: 'button', class: 'btn small danger', disabled: working, 'data-testid': 'queue-reject', onclick: () => void review(a, false) }, t('alert.reject')),
        )
      : d?.mayApprove === false
        ? h('div', { class: 'muted small', 'data-testid': 'queue-why-not' }, whyNot(a))
        : null,
    err ? h('div', { class: 'form-error', 'data-testid': 'queue-error' }, err) : null,
  );
}

async function review(a: Alert, approve: boolean): Promise<void> {
  const note = (notes.get(a.id) ?? '').trim();
  if (!approve && !note) {
    rowErrors.set(a.id, t('alert.reasonNeeded'));
    return render();
  }
  busy.add(a.id);
  rowErrors.delete(a.id);
  result = '';
  render();
  try {
    const answer = await post<Alert>(`/alerts/${encodeURIComponent(a.id)}/${approve ? 'approve' : 'reject'}`, note ? { note } : {});
    notes.delete(a.id);
    result = approve ? t('alert.approved', { id: answer.id, identifier: answer.identifier }) : t('alert.rejected', { id: answer.id });
    alertChanged(answer);
  } catch (e) {
    rowErrors.set(a.id, errorText(e));
  } finally {
    busy.delete(a.id);
    render();
  }
}
