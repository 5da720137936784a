// The incident's plan activations and task board, in the incident detail (plan.read):
// GET /api/v1/incidents/{id}/activations — per activation the plan, level, lead, command post,
// forces and reports due (with countdowns), its tasks (taskrows.ts) and the notifications sent;
// a 演练 badge on an exercise incident; activate by hand, change level, stand down
// (activatedialogs.ts, plan.activate); a link to the after-action review. Countdowns use the
// node's clock (the answer's `now`). The board reloads on the stream's plan-topic events that
// concern the incident shown (by incident, activation or task id).
import './plans.css';
import { get, post } from './api';
import { h, fill } from './dom';
import { onLanguageChange, t } from './i18n';
import { showTime, unitTypeName } from './format';
import { activateByHand, changeLevel, standDown } from './activatedialogs';
import { onTick, setNodeNow } from './nodeclock';
import { coalesce, onPlanEvent } from './planevents';
import { errorText, levelName, planHref, recipientName, reportTypeName, roleName } from './planfmt';
import type { Activation, ActivationsAnswer, PlanNotification, PlanSummary, Task } from './plantypes';
import { can } from './session';
import { isOpen, store } from './state';
import { countdown, renderTaskGroups, tickCountdowns } from './taskrows';
import type { JournalEvent } from './types';

let host: HTMLElement;
let incidentId = '';
let answer: ActivationsAnswer | null = null;
let error = '';
let busy = false;
let loading = 0; // generation of the newest load
const planLevels = new Map<string, string[]>(); // plan id → levels it defines (for level changes)

export function initTasks(el: HTMLElement): void {
  host = h('div', { 'data-testid': 'task-board-host' });
  el.append(host);
  store.on('selection', onSelection);
  onLanguageChange(render);
  onPlanEvent(onEvent);
  onTick(() => tickCountdowns(host));
  onSelection();
}

let shownOpen = true;

function onSelection(): void {
  const id = store.selectedId && can('plan.read') ? store.selectedId : '';
  if (id === incidentId) {
    if (id && incidentOpen() !== shownOpen) render(); // closed or reopened: the buttons change
    return;
  }
  incidentId = id;
  answer = null;
  error = '';
  render();
  if (id) void load();
}

const reloadSoon = coalesce(() => void load());

function onEvent(ev: JournalEvent): void {
  if (!incidentId) return;
  const d = ev.data ?? {};
  const nested = (k: string) => {
    const o = d[k];
    return typeof o === 'object' && o !== null ? (o as Record<string, unknown>) : null;
  };
  const incidents = [d.incident_id, nested('task')?.incident_id, nested('activation')?.incident_id, nested('notification')?.incident_id];
  const acts = answer?.activations ?? [];
  const mine =
    incidents.includes(incidentId) ||
    (typeof d.task_id === 'string' && acts.some((a) => a.task_ids.includes(d.task_id as string))) ||
    (typeof d.activation_id === 'string' && acts.some((a) => a.id === d.activation_id));
  if (mine) reloadSoon();
}

async function load(): Promise<void> {
  const id = incidentId;
  const gen = ++loading;
  try {
    const a = await get<ActivationsAnswer>(`/incidents/${encodeURIComponent(id)}/activations`);
    if (gen !== loading || id !== incidentId) return;
    setNodeNow(a.now);
    answer = a;
    error = '';
    void learnLevels(a.activations);
  } catch (e) {
    if (gen !== loading || id !== incidentId) return;
    error = errorText(e);
  }
  render();
}

async function learnLevels(acts: Activation[]): Promise<void> {
  if (!can('plan.activate')) return;
  for (const a of acts) {
    if (planLevels.has(a.plan_id)) continue;
    try {
      const p = await get<PlanSummary>(`/plans/${encodeURIComponent(a.plan_id)}`);
      const v = p.versions?.find((x) => x.number === a.plan_version);
      planLevels.set(a.plan_id, v?.plan?.levels.map((l) => l.level) ?? p.levels ?? []);
    } catch {
      /* the level dialog offers I–IV */
    }
  }
}

async function taskAction(x: Task, action: string): Promise<void> {
  if (busy) return;
  busy = true;
  render();
  try {
    await post(`/tasks/${encodeURIComponent(x.id)}/${action}`, {});
    error = '';
  } catch (e) {
    error = errorText(e);
  } finally {
    busy = false;
  }
  await load();
}

function incidentOpen(): boolean {
  const inc = store.detail && store.detail.id === incidentId ? store.detail : store.incidents.get(incidentId);
  return !inc || isOpen(inc);
}

function render(): void {
  if (!incidentId) {
    fill(host);
    return;
  }
  const open = incidentOpen();
  shownOpen = open;
  const a = answer;
  const active = a?.activations.some((x) => x.status === 'active') ?? false;
  fill(host,
    h(
      'section',
      { class: 'box task-board', 'data-testid': 'task-board', 'data-incident-id': incidentId, 'data-loaded': String(!!a) },
      h(
        'div',
        { class: 'detail-head' },
        h('h4', {}, t('tasks.title')),
        a?.exercise ? h('span', { class: 'tag drill', 'data-testid': 'drill-badge' }, t('tasks.drill')) : null,
        h('a', { class: 'btn small ghost', href: planHref('review', incidentId), 'data-testid': 'review-link' }, t('tasks.review')),
        can('plan.activate') && open
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn small',
                'data-testid': 'activate-open',
                onclick: () => void activateByHand(incidentId, () => void load()),
              },
              active ? t('tasks.activateMore') : t('tasks.activate'),
            )
          : null,
      ),
      error ? h('div', { class: 'form-error', 'data-testid': 'task-error' }, error) : null,
      !a
        ? h('div', { class: 'muted' }, error ? '' : t('app.loading'))
        : a.activations.length
          ? [...a.activations].reverse().map((x) => activation(x, open))
          : h('div', { class: 'muted', 'data-testid': 'no-activation' }, t('tasks.none')),
      a && a.notifications.length ? notifications(a.notifications) : null,
    ),
  );
}

function activation(a: Activation, open: boolean): HTMLElement {
  const active = a.status === 'active';
  const last = a.history[a.history.length - 1];
  return h(
    'div',
    { class: `activation${active ? '' : ' stood-down'}`, 'data-testid': 'activation', 'data-activation-id': a.id, 'data-level': a.level, 'data-status': a.status },
    h(
      'div',
      { class: 'activation-head' },
      h('a', { href: planHref(a.plan_id), 'data-testid': 'activation-plan' }, `${a.plan_title ?? a.plan_id} v${a.plan_version}`),
      active
        ? h('span', { class: 'level-badge', 'data-testid': 'activation-level' }, levelName(a.level))
        : h('span', { class: 'tag', 'data-testid': 'activation-stood-down' }, t('tasks.stoodDown')),
      h('span', { class: 'tag' }, a.automatic ? t('tasks.automatic') : t('tasks.byHand')),
      a.exercise ? h('span', { class: 'tag drill' }, t('tasks.drill')) : null,
    ),
    h(
      'dl',
      { class: 'fields' },
      h('dt', {}, t('plan.lead')),
      h('dd', { 'data-testid': 'activation-lead' }, a.lead || '—'),
      h('dt', {}, t('plan.commandPost')),
      h('dd', {}, a.command_post || '—'),
      h('dt', {}, t('tasks.activatedAt')),
      h('dd', {}, showTime(a.activated_at), last?.reason ? h('span', { class: 'reason' }, ` — ${last.reason}`) : null),
      h('dt', {}, t('plan.forces')),
      h('dd', { 'data-testid': 'activation-forces' }, a.forces.length ? a.forces.map((f) => `${unitTypeName(f.type)} × ${f.count}`).join('、') : '—'),
      h('dt', {}, t('plan.reports')),
      h(
        'dd',
        { 'data-testid': 'activation-reports' },
        a.reports_due.length
          ? h(
              'ul',
              { class: 'plain' },
              a.reports_due.map((r) =>
                h('li', {}, `${reportTypeName(r.type)} → ${recipientName(r.recipient_level)} · ${showTime(r.due_at)} `, active ? countdown(r.due_at, 'report-countdown') : null),
              ),
            )
          : '—',
      ),
    ),
    active && open && can('plan.activate')
      ? h(
          'div',
          { class: 'btn-row' },
          h(
            'button',
            { type: 'button', class: 'btn small', 'data-testid': 'change-level-open', onclick: () => changeLevel(a, planLevels.get(a.plan_id), () => void load()) },
            t('activation.changeLevel'),
          ),
          h(
            'button',
            { type: 'button', class: 'btn small danger', 'data-testid': 'stand-down-open', onclick: () => standDown(a, () => void load()) },
            t('activation.standDown'),
          ),
        )
      : null,
    renderTaskGroups(a.tasks, busy, (x, action) => void taskAction(x, action)),
  );
}

function notifications(list: PlanNotification[]): HTMLElement {
  return h(
    'details',
    { class: 'notifications', 'data-testid': 'notifications', open: true },
    h('summary', {}, t('tasks.notifications', { n: list.length })),
    h(
      'ul',
      { class: 'plain' },
      list.map((n) =>
        h(
          'li',
          { 'data-testid': 'notification', 'data-notification-id': n.id },
          h('span', { class: 'time' }, showTime(n.at)),
          ' ',
          h('strong', {}, roleName(n.role)),
          n.agency ? ` (${n.agency})` : '',
          ` · ${n.channel} · `,
          n.message,
          n.delivery === 'suppressed_exercise' ? h('span', { class: 'tag' }, t('tasks.suppressed')) : null,
        ),
      ),
    ),
  );
}
