// The plan library (GET /api/v1/plans?q=&status=): search, status filter, and per plan the version
// in force, the levels it defines, when it was last drilled and reviewed and when the next drill
// and review fall due (overdue ones highlighted). Follows plan.* events while shown.
import { get } from './api';
import { h, option, fill } from './dom';
import { t, type MessageKey } from './i18n';
import { coalesce, onPlanEvent } from './planevents';
import { dateOnly, errorText, levelName, planHref, versionStatusName } from './planfmt';
import type { View } from './planpage';
import type { PlanSummary } from './plantypes';
import { can } from './session';

const STATUSES = ['draft', 'submitted', 'reviewed', 'approved', 'filed', 'under_revision', 'retired', 'superseded'];
const COLUMNS: MessageKey[] = ['plans.colTitle', 'plans.colEffective', 'plans.colLatest', 'plans.colLevels', 'plans.colDrilled', 'plans.colReviewed', 'plans.colFindings'];
const filters = { q: '', status: '' };

export function showLibrary(view: View): void {
  const list = h('div', { class: 'board-body', 'data-testid': 'plan-list', 'data-loading': 'true' });
  let plans: PlanSummary[] = [];
  let error = '';
  let searchTimer: number | undefined;

  const load = async () => {
    const q = new URLSearchParams();
    if (filters.q.trim()) q.set('q', filters.q.trim());
    if (filters.status) q.set('status', filters.status);
    list.dataset.loading = 'true';
    try {
      const qs = q.toString();
      const r = await get<{ plans?: PlanSummary[] }>(`/plans${qs ? `?${qs}` : ''}`);
      plans = Array.isArray(r.plans) ? r.plans : [];
      error = '';
    } catch (e) {
      error = errorText(e);
    }
    if (!view.alive()) return;
    renderList();
    list.dataset.loading = 'false';
  };

  const renderList = () => {
    fill(list,
      error ? h('div', { class: 'form-error', 'data-testid': 'plan-list-error' }, error) : null,
      plans.length
        ? h(
            'table',
            { class: 'board plans-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                COLUMNS.map((k) => h('th', {}, t(k))),
              ),
            ),
            h('tbody', {}, plans.map(row)),
          )
        : h('div', { class: 'empty', 'data-testid': 'plan-list-empty' }, t('plans.empty')),
    );
  };

  const search = h('input', {
    type: 'search',
    'data-testid': 'plan-search',
    placeholder: t('plans.search'),
    value: filters.q,
    oninput: (e: Event) => {
      filters.q = (e.target as HTMLInputElement).value;
      window.clearTimeout(searchTimer);
      searchTimer = window.setTimeout(() => void load(), 250);
    },
  });
  const status = h(
    'select',
    {
      'data-testid': 'plan-status-filter',
      onchange: (e: Event) => {
        filters.status = (e.target as HTMLSelectElement).value;
        void load();
      },
    },
    option('', t('board.all'), filters.status === ''),
    STATUSES.map((s) => option(s, versionStatusName(s), s === filters.status)),
  );
  view.host.append(
    h(
      'div',
      { class: 'panel' },
      h(
        'div',
        { class: 'audit-tools' },
        h('h2', { class: 'plans-h', 'data-testid': 'plans-title' }, t('plans.title')),
        search,
        h('label', { class: 'filter' }, t('plans.status'), status),
        h('div', { class: 'spacer' }),
        can('plan.edit') ? h('a', { class: 'btn primary', href: planHref('import'), 'data-testid': 'plan-import-open' }, t('plans.import')) : null,
      ),
      list,
    ),
  );
  view.onLeave(onPlanEvent(coalesce(() => view.alive() && void load())));
  void load();
}

function due(at: string | null | undefined, overdue: boolean | undefined, testid: string): HTMLElement {
  return h(
    'div',
    { class: `sub${overdue ? ' overdue' : ''}`, 'data-testid': testid, 'data-overdue': String(!!overdue) },
    overdue ? h('span', { class: 'tag danger' }, t('plans.overdue')) : null,
    ` ${t('plans.dueAt', { date: dateOnly(at) })}`,
  );
}

function row(p: PlanSummary): HTMLElement {
  return h(
    'tr',
    {
      class: `plan-row${p.drill_overdue || p.review_overdue ? ' has-overdue' : ''}`,
      'data-testid': 'plan-row',
      'data-plan-id': p.id,
      'data-drill-overdue': String(!!p.drill_overdue),
      'data-review-overdue': String(!!p.review_overdue),
    },
    h(
      'td',
      {},
      h('a', { href: planHref(p.id), class: 'title-main', 'data-testid': 'plan-link' }, p.title),
      h('div', { class: 'sub' }, h('code', {}, p.id), ` · ${p.key} · ${p.owner}`),
    ),
    h(
      'td',
      { 'data-testid': 'plan-effective' },
      p.effective_version ? `v${p.effective_version}` : h('span', { class: 'tag warn' }, t('plans.noneInForce')),
    ),
    h('td', {}, `v${p.latest_version} `, h('span', { class: `pstatus pstatus-${p.latest_status}` }, versionStatusName(p.latest_status))),
    h('td', { 'data-testid': 'plan-levels' }, (p.levels ?? []).map((l) => h('span', { class: 'tag', title: levelName(l) }, l))),
    h('td', {}, dateOnly(p.last_drilled_at), due(p.drill_due_at, p.drill_overdue, 'plan-drill-due')),
    h('td', {}, dateOnly(p.last_reviewed_at), due(p.review_due_at, p.review_overdue, 'plan-review-due')),
    h('td', { class: 'num' }, String(p.findings?.length ?? 0)),
  );
}
