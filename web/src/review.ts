// An incident's after-action review (GET /api/v1/incidents/{id}/review): what was late, the tasks
// against their deadlines, the response intervals against their targets, the reports that fell
// due, the activations and their level changes, and the timeline; a link to the printable HTML
// (?format=html); and, for plan.edit, a finding attached to a plan the incident activated
// (POST /plans/{id}/findings {text, incident_id}).
import { API, get, post } from './api';
import { h, option, fill } from './dom';
import { codeName, lang, t, type MessageKey } from './i18n';
import { durationText, gradeName, showTime, statusName, typeName } from './format';
import { errorText, planHref, recipientName, reportTypeName, taskStatusName } from './planfmt';
import type { View } from './planpage';
import type { Review } from './plantypes';
import { can } from './session';

type Cell = Node | string | null;

function table(testid: string, heads: MessageKey[], rows: Array<{ cells: Cell[]; late?: boolean; attrs?: Record<string, string> }>): HTMLElement {
  if (!rows.length) return h('div', { class: 'muted', 'data-testid': `${testid}-none` }, t('plan.none'));
  return h(
    'table',
    { class: 'plan-table', 'data-testid': testid },
    h('thead', {}, h('tr', {}, heads.map((k) => h('th', {}, t(k))))),
    h('tbody', {}, rows.map((r) => h('tr', { class: r.late ? 'late' : '', ...r.attrs }, r.cells.map((c) => h('td', {}, c))))),
  );
}

const dur = (s: number | null | undefined) => (typeof s === 'number' ? durationText(s) : '—');

export function showReview(view: View, incidentId: string): void {
  const enc = encodeURIComponent(incidentId);
  const body = h('div', { class: 'plan-body review', 'data-testid': 'review', 'data-incident-id': incidentId, 'data-loading': 'true' });
  view.host.append(h('div', { class: 'panel' }, h('div', { class: 'board-body' }, body)));
  body.append(h('div', { class: 'empty' }, t('app.loading')));
  get<Review>(`/incidents/${enc}/review`).then(
    (r) => {
      if (!view.alive()) return;
      fill(body, ...render(r, enc));
      body.dataset.loading = 'false';
    },
    (e) => {
      if (!view.alive()) return;
      fill(body, h('div', { class: 'form-error', 'data-testid': 'review-error' }, errorText(e)));
      body.dataset.loading = 'false';
    },
  );
}

function render(r: Review, enc: string): Array<Node | null> {
  const inc = r.incident;
  const s = r.task_summary;
  const zh = lang() !== 'en';
  return [
    h(
      'div',
      { class: 'detail-head' },
      h('a', { href: planHref(), class: 'btn small ghost' }, `← ${t('plans.title')}`),
      h('h3', { 'data-testid': 'review-title' }, t('review.title', { id: inc.id })),
      inc.exercise ? h('span', { class: 'tag drill', 'data-testid': 'drill-badge' }, t('tasks.drill')) : null,
      h('a', { class: 'btn small', href: `${API}/incidents/${enc}/review?format=html`, target: '_blank', rel: 'noopener', 'data-testid': 'review-html' }, t('review.html')),
    ),
    h(
      'div',
      { class: 'sub' },
      [inc.title, typeName(inc.type), inc.grade ? gradeName(inc.grade) : t('detail.notConfirmed'), statusName(inc.status)].filter(Boolean).join(' · '),
      ` · ${t('review.generated', { at: showTime(r.generated_at, 'long') })}`,
    ),
    h(
      'dl',
      { class: 'fields' },
      h('dt', {}, t('review.opened')),
      h('dd', {}, showTime(r.milestones.opened_at, 'long')),
      h('dt', {}, t('review.gradeAfter')),
      h('dd', {}, dur(r.milestones.grade_confirmed_s)),
      h('dt', {}, t('review.activationAfter')),
      h('dd', {}, dur(r.milestones.first_activation_s)),
      h('dt', {}, t('review.closedAfter')),
      h('dd', {}, dur(r.milestones.closed_s)),
    ),
    h('h4', {}, t('review.late', { n: r.late.length })),
    table(
      'review-late',
      ['review.kind', 'review.what', 'review.lateBy'],
      r.late.map((l) => ({
        late: true,
        cells: [codeName('lateKind', l.kind), l.what, `${dur(l.late_s)}${l.still_open ? ` (${t('review.stillOpen')})` : ''}`],
      })),
    ),
    h('h4', {}, t('review.tasks')),
    h(
      'div',
      { class: 'sub', 'data-testid': 'review-task-summary' },
      t('review.taskSummary', { total: s.total, onTime: s.on_time, late: s.completed_late, open: s.open, overdue: s.open_overdue, stoodDown: s.stood_down }),
    ),
    table(
      'review-tasks',
      ['plan.task', 'plan.owner', 'review.level', 'review.status', 'review.allowed', 'review.taken', 'review.lateBy'],
      r.tasks.map((x) => ({
        late: x.late_s !== null,
        attrs: { 'data-task-id': x.id },
        cells: [x.description, x.owner, x.level, taskStatusName(x.status), dur(x.allowed_s), dur(x.taken_s), dur(x.late_s)],
      })),
    ),
    h('h4', {}, t('review.intervals')),
    table(
      'review-intervals',
      ['review.interval', 'review.actual', 'review.target', 'review.lateBy'],
      r.intervals.map((i) => ({
        late: i.met === false,
        cells: [zh ? i.name_zh : i.name, dur(i.actual_s), dur(i.target_s), i.met === null ? '—' : dur(i.late_s)],
      })),
    ),
    h('h4', {}, t('plan.reports')),
    table(
      'review-reports',
      ['plan.reportType', 'plan.recipient', 'review.dueAt', 'review.level'],
      r.reports_due.map((x) => ({ cells: [reportTypeName(x.type), recipientName(x.recipient_level), showTime(x.due_at, 'long'), x.level] })),
    ),
    h('h4', {}, t('review.activations')),
    table(
      'review-activations',
      ['activation.plan', 'review.activatedAt', 'review.levels', 'review.status'],
      r.activations.map((a) => ({
        cells: [
          h('a', { href: planHref(a.plan_id) }, `${a.plan_title || a.plan_id} v${a.plan_version}`),
          `${showTime(a.activated_at)} (+${dur(a.offset_s)})`,
          a.levels.map((l) => `${l.from || '∅'}→${l.to || '∅'}${l.reason ? ` (${l.reason})` : ''}`).join('; '),
          a.status === 'active' ? t('review.active') : t('tasks.stoodDown'),
        ],
      })),
    ),
    findingForm(r, enc),
    h('h4', {}, t('detail.timeline')),
    table(
      'review-timeline',
      ['review.time', 'review.offset', 'review.event', 'review.by', 'review.summary'],
      r.timeline.map((e) => ({ cells: [showTime(e.time), `+${dur(e.offset_s)}`, codeName('event', e.type), e.by, e.summary] })),
    ),
  ];
}

function findingForm(r: Review, enc: string): HTMLElement | null {
  if (!can('plan.edit')) return null;
  const plans = [...new Map(r.activations.map((a) => [a.plan_id, a.plan_title || a.plan_id])).entries()];
  const planSel = h('select', { 'data-testid': 'finding-plan' }, plans.map(([id, title]) => option(id, `${title} (${id})`)));
  const planId = h('input', { 'data-testid': 'finding-plan-id', placeholder: t('review.planId') });
  const text = h('textarea', { 'data-testid': 'finding-text', rows: 3, placeholder: t('review.findingText') });
  const msg = h('div', { 'data-testid': 'finding-result' });
  const submit = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'finding-submit' }, t('review.addFinding'));
  return h(
    'form',
    {
      class: 'box finding-form',
      'data-testid': 'finding-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const id = plans.length ? planSel.value : planId.value.trim();
        if (!id || !text.value.trim()) {
          msg.className = 'form-error';
          msg.textContent = t('review.findingNeeded');
          return;
        }
        submit.disabled = true;
        post(`/plans/${encodeURIComponent(id)}/findings`, { text: text.value.trim(), incident_id: decodeURIComponent(enc) }).then(
          () => {
            submit.disabled = false;
            text.value = '';
            msg.className = 'tag ok';
            msg.textContent = t('review.findingAdded', { id });
          },
          (e2: unknown) => {
            submit.disabled = false;
            msg.className = 'form-error';
            msg.textContent = errorText(e2);
          },
        );
      },
    },
    h('h4', {}, t('review.findingTitle')),
    h('div', { class: 'inline' }, t('activation.plan'), plans.length ? planSel : planId),
    text,
    h('div', { class: 'btn-row' }, submit),
    msg,
  );
}
