// One response level of a plan, as the plan view shows it: when it applies, who leads and where
// the command post is, who takes part with which duties, the working groups, the forces and
// supplies, the tasks with their deadlines and dependencies, who is notified and which reports
// fall due. Pure rendering of the plan's JSON (plantypes.ts).
import { h } from './dom';
import { codeName, t, type MessageKey } from './i18n';
import { gradeName, unitTypeName } from './format';
import { levelName, planDuration, recipientName, reportTypeName, roleName } from './planfmt';
import type { PlanLevel, PlanSpec } from './plantypes';

type Cell = Node | string;

function table(testid: string, heads: MessageKey[], rows: Cell[][]): HTMLElement {
  if (!rows.length) return h('div', { class: 'muted small-empty', 'data-testid': `${testid}-none` }, t('plan.none'));
  return h(
    'table',
    { class: 'plan-table', 'data-testid': testid },
    h('thead', {}, h('tr', {}, heads.map((k) => h('th', {}, t(k))))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))),
  );
}

function section(title: MessageKey, body: HTMLElement): HTMLElement {
  return h('section', { class: 'plan-section' }, h('h4', {}, t(title)), body);
}

function criteria(l: PlanLevel): HTMLElement {
  const items: string[] = [];
  if (l.when.grades.length) items.push(t('plan.whenGrades', { grades: l.when.grades.map(gradeName).join('、') }));
  for (const [fig, n] of Object.entries(l.when.thresholds ?? {}))
    items.push(t('plan.whenFigure', { figure: codeName('fig', fig), n }));
  if (l.when.warning_level) items.push(t('plan.whenWarning', { level: codeName('warningLevel', l.when.warning_level) }));
  return h(
    'div',
    { 'data-testid': 'level-criteria' },
    items.length ? h('ul', { class: 'plain' }, items.map((x) => h('li', {}, x))) : h('div', { class: 'muted' }, t('plan.byHandOnly')),
  );
}

/** The tabs I–IV: the levels the plan defines can be picked, the others are shown greyed. */
export function levelTabs(plan: PlanSpec, selected: string, pick: (level: string) => void): HTMLElement {
  const defined = new Set(plan.levels.map((l) => l.level));
  return h(
    'div',
    { class: 'tabs level-tabs', role: 'tablist', 'data-testid': 'level-tabs' },
    ['I', 'II', 'III', 'IV'].map((l) =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          class: `tab${l === selected ? ' active' : ''}`,
          'data-testid': `level-tab-${l}`,
          disabled: !defined.has(l),
          onclick: () => pick(l),
        },
        levelName(l),
      ),
    ),
  );
}

export function renderLevel(plan: PlanSpec, l: PlanLevel): HTMLElement {
  const groups = new Map(plan.groups.map((g) => [g.key, g]));
  const taskNames = new Map(l.tasks.map((x) => [x.key, x.description]));
  const owner = (o: string) => groups.get(o)?.name ?? o;
  return h(
    'div',
    { class: 'plan-level', 'data-testid': 'plan-level', 'data-level': l.level },
    h(
      'dl',
      { class: 'fields' },
      h('dt', {}, t('plan.lead')),
      h('dd', { 'data-testid': 'level-lead' }, l.lead || '—'),
      h('dt', {}, t('plan.commandPost')),
      h('dd', {}, l.command_post || '—'),
    ),
    section('plan.criteria', criteria(l)),
    section(
      'plan.participants',
      table('level-participants', ['plan.agency', 'plan.duties'], l.participants.map((p) => [p.agency, p.duties.join('；')])),
    ),
    section(
      'plan.groups',
      table(
        'level-groups',
        ['plan.group', 'plan.lead', 'plan.members', 'plan.duties'],
        l.groups.map((k) => {
          const g = groups.get(k);
          return [g ? `${g.name} (${k})` : k, g?.lead ?? '—', (g?.members ?? []).join('、') || '—', (g?.duties ?? []).join('；') || '—'];
        }),
      ),
    ),
    section(
      'plan.forces',
      table(
        'level-forces',
        ['plan.unitType', 'plan.count', 'plan.capabilities'],
        l.forces.map((f) => [unitTypeName(f.type), String(f.count), f.capabilities.join('、') || '—']),
      ),
    ),
    section(
      'plan.supplies',
      table(
        'level-supplies',
        ['plan.item', 'plan.quantity', 'plan.from'],
        l.supplies.map((s) => [s.item, `${s.quantity} ${s.unit}`, s.from || '—']),
      ),
    ),
    section(
      'plan.tasks',
      table(
        'level-tasks',
        ['plan.task', 'plan.owner', 'plan.role', 'plan.deadline', 'plan.after'],
        l.tasks.map((x) => [
          h('span', { title: x.key }, x.description),
          owner(x.owner),
          roleName(x.role),
          planDuration(x.deadline_s),
          x.depends_on.length ? x.depends_on.map((d) => taskNames.get(d) ?? d).join('、') : '—',
        ]),
      ),
    ),
    section(
      'plan.notifications',
      table(
        'level-notifications',
        ['plan.role', 'plan.agency', 'plan.channel', 'plan.message'],
        l.notifications.map((n) => [roleName(n.role), n.agency || '—', codeName('notifyChannel', n.channel || 'console'), n.message || t('plan.defaultMessage')]),
      ),
    ),
    section(
      'plan.reports',
      table(
        'level-reports',
        ['plan.reportType', 'plan.recipient', 'plan.within'],
        l.reports.map((r) => [reportTypeName(r.type), recipientName(r.recipient_level), planDuration(r.deadline_s)]),
      ),
    ),
  );
}
