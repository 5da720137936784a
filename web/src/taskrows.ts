// The tasks of an activation, grouped by status: each with its deadline and a countdown in the
// node's time (nodeclock.ts; the spans carry data-deadline and tickCountdowns() updates them every
// second without re-rendering), overdue ones in red with 超时 and who it was escalated to, waiting
// ones greyed with the tasks they wait for, and the accept / start / complete buttons for those
// who hold task.update.
import { h } from './dom';
import { t, type MessageKey } from './i18n';
import { showTime } from './format';
import { countdownText, secondsUntil } from './nodeclock';
import { roleName, taskStatusName } from './planfmt';
import type { Task } from './plantypes';
import { can } from './session';

const GROUPS = ['open', 'accepted', 'in_progress', 'waiting', 'completed', 'stood_down'];
const ACTIONS: Array<{ action: string; from: string[]; label: MessageKey }> = [
  { action: 'accept', from: ['open'], label: 'task.accept' },
  { action: 'start', from: ['open', 'accepted'], label: 'task.start' },
  { action: 'complete', from: ['open', 'accepted', 'in_progress'], label: 'task.complete' },
];

export const finished = (x: Task) => x.status === 'completed' || x.status === 'stood_down';

export function renderTaskGroups(tasks: Task[], busy: boolean, act: (task: Task, action: string) => void): HTMLElement {
  const byId = new Map(tasks.map((x) => [x.id, x]));
  return h(
    'div',
    { class: 'task-groups', 'data-testid': 'task-groups' },
    GROUPS.map((status) => {
      const list = tasks.filter((x) => x.status === status).sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
      if (!list.length) return null;
      return h(
        'div',
        { class: `task-group group-${status}`, 'data-testid': 'task-group', 'data-status': status },
        h('div', { class: 'group-head' }, h('strong', {}, taskStatusName(status)), h('span', { class: 'count' }, String(list.length))),
        h('ul', { class: 'tasks' }, list.map((x) => taskItem(x, byId, busy, act))),
      );
    }),
  );
}

function taskItem(x: Task, byId: Map<string, Task>, busy: boolean, act: (task: Task, action: string) => void): HTMLElement {
  const done = finished(x);
  const waitingFor = x.depends_on.map((id) => byId.get(id)).filter((d): d is Task => !!d && d.status !== 'completed');
  const buttons = can('task.update') ? ACTIONS.filter((a) => a.from.includes(x.status)) : [];
  return h(
    'li',
    {
      class: `task task-${x.status}${x.overdue && !done ? ' overdue' : ''}`,
      'data-testid': 'task',
      'data-task-id': x.id,
      'data-key': x.key,
      'data-status': x.status,
      'data-overdue': String(x.overdue),
    },
    h(
      'div',
      { class: 'task-head' },
      h('span', { class: 'task-desc', 'data-testid': 'task-description' }, x.description),
      x.overdue ? h('span', { class: 'tag danger', 'data-testid': 'task-overdue' }, t('task.overdue')) : null,
      h('span', { class: 'tag', title: t('task.level') }, x.level),
    ),
    h(
      'div',
      { class: 'sub' },
      `${x.owner}${x.agency_id ? ` (${x.agency_id})` : ''} · ${roleName(x.role)}`,
      x.escalated_to ? h('span', { class: 'escalated' }, ` · ${t('task.escalatedTo', { role: roleName(x.escalated_to) })}`) : null,
    ),
    h(
      'div',
      { class: 'task-time' },
      h('span', { class: 'muted' }, t('task.deadline', { at: showTime(x.deadline) })),
      ' ',
      done
        ? h('span', { class: 'muted' }, x.completed_at ? t('task.completedAt', { at: showTime(x.completed_at) }) : '')
        : countdown(x.deadline, 'task-countdown'),
    ),
    x.status === 'waiting' && waitingFor.length
      ? h('div', { class: 'sub waiting-for', 'data-testid': 'task-waiting-for' }, t('task.waitingFor', { tasks: waitingFor.map((d) => d.description).join('、') }))
      : null,
    buttons.length
      ? h(
          'div',
          { class: 'btn-row' },
          buttons.map((b) =>
            h(
              'button',
              { type: 'button', class: `btn small${b.action === 'complete' ? ' primary' : ''}`, 'data-testid': `task-${b.action}`, disabled: busy, onclick: () => act(x, b.action) },
              t(b.label),
            ),
          ),
        )
      : null,
  );
}

/** A countdown to `iso` in the node's time; tickCountdowns() keeps it current. */
export function countdown(iso: string, testid: string): HTMLElement {
  const el = h('span', { class: 'countdown', 'data-testid': testid, 'data-deadline': iso });
  updateCountdown(el);
  return el;
}

function updateCountdown(el: HTMLElement): void {
  const s = secondsUntil(el.dataset.deadline);
  if (s === null) return;
  el.textContent = countdownText(s);
  el.classList.toggle('past', s < 0);
  el.classList.toggle('soon', s >= 0 && s < 300);
  el.dataset.seconds = String(s);
}

export function tickCountdowns(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('.countdown[data-deadline]').forEach(updateCountdown);
}
