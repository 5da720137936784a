// One plan (GET /api/v1/plans/{id}): what it covers, the version in force, drill and review dates;
// a version's levels in tabs I–IV (planlevel.ts); the versions with their life-cycle and the next
// steps (planversions.ts); the diff between two versions (plandiff.ts); a new version (the import
// view, started from the latest YAML); and the findings reviews have attached. Follows plan.*
// events for this plan while shown.
import { get, post } from './api';
import { h, fill } from './dom';
import { codeName, t } from './i18n';
import { categoryName, showTime, typeName } from './format';
import { renderDiff } from './plandiff';
import { coalesce, onPlanEvent } from './planevents';
import { dateOnly, errorText, planHref } from './planfmt';
import { levelTabs, renderLevel } from './planlevel';
import type { View } from './planpage';
import type { PlanSummary, PlanVersion } from './plantypes';
import { renderVersions } from './planversions';
import { can } from './session';

export function showPlan(view: View, id: string): void {
  const enc = encodeURIComponent(id);
  let plan: PlanSummary | null = null;
  let shown = 0; // version number shown; 0: the one in force, else the latest
  let level = '';
  let error = '';
  let busy = false;
  const notes = new Map<number, string>(); // lifecycle notes typed, by version
  const complaints = new Map<number, string>();
  let diff: { n: number; el: HTMLElement } | null = null; // kept across re-renders (its choice and output)
  const body = h('div', { class: 'plan-body', 'data-testid': 'plan-view', 'data-plan-id': id, 'data-loading': 'true' });
  view.host.append(h('div', { class: 'panel' }, h('div', { class: 'board-body' }, body)));

  const load = async () => {
    try {
      plan = await get<PlanSummary>(`/plans/${enc}`);
      error = '';
    } catch (e) {
      error = errorText(e);
    }
    if (!view.alive()) return;
    render();
    body.dataset.loading = 'false';
  };

  const change = async (v: PlanVersion, to: string, note: string) => {
    busy = true;
    render();
    try {
      plan = await post<PlanSummary>(`/plans/${enc}/versions/${v.number}/status`, note ? { to, note } : { to });
      notes.delete(v.number);
      error = '';
      // The answer is the record without the library's extras; fetch the whole again.
      await load();
    } catch (e) {
      error = errorText(e);
    } finally {
      busy = false;
    }
    if (view.alive()) render();
  };

  const render = () => {
    if (!plan) {
      fill(body, error ? h('div', { class: 'form-error', 'data-testid': 'plan-error' }, error) : h('div', { class: 'empty' }, t('app.loading')));
      return;
    }
    const p = plan;
    const versions = p.versions ?? [];
    const number = shown || p.effective_version || p.latest_version;
    const version = versions.find((v) => v.number === number) ?? versions[versions.length - 1];
    const spec = version?.plan;
    if (spec && !spec.levels.some((l) => l.level === level)) level = spec.levels[0]?.level ?? '';
    const lvl = spec?.levels.find((l) => l.level === level);
    if (diff?.n !== versions.length) diff = { n: versions.length, el: renderDiff(p, view.alive) };
    fill(body,
      h(
        'div',
        { class: 'detail-head' },
        h('a', { href: planHref(), class: 'btn small ghost', 'data-testid': 'plan-back' }, `← ${t('plans.title')}`),
        h('h3', { 'data-testid': 'plan-title' }, p.title),
        can('plan.edit')
          ? h('a', { class: 'btn small', href: planHref('import', p.id), 'data-testid': 'plan-new-version' }, t('plan.newVersion'))
          : null,
      ),
      error ? h('div', { class: 'form-error', 'data-testid': 'plan-error' }, error) : null,
      info(p),
      h(
        'div',
        { class: 'plan-columns' },
        h(
          'div',
          { class: 'plan-main' },
          h('h4', {}, t('plan.levelsOf', { v: version ? `v${version.number}` : '—' })),
          spec ? levelTabs(spec, level, (l) => ((level = l), render())) : null,
          spec && lvl ? renderLevel(spec, lvl) : h('div', { class: 'muted' }, t('plan.none')),
        ),
        h(
          'div',
          { class: 'plan-side' },
          h('h4', {}, t('plan.versions')),
          renderVersions(versions, {
            busy,
            notes,
            errors: complaints,
            shown: version?.number ?? 0,
            change: (v, to, note) => void change(v, to, note),
            show: (v) => ((shown = v.number), render()),
          }),
          h('h4', {}, t('diff.title')),
          diff.el,
          h('h4', {}, t('plan.findings', { n: p.findings.length })),
          p.findings.length
            ? h(
                'ul',
                { class: 'findings', 'data-testid': 'plan-findings' },
                [...p.findings].reverse().map((f) =>
                  h(
                    'li',
                    { 'data-testid': 'plan-finding' },
                    h('div', { class: 'sub' }, showTime(f.at, 'long'), ` · ${f.by}`, f.incident_id ? [' · ', h('a', { href: planHref('review', f.incident_id) }, f.incident_id)] : null),
                    h('div', {}, f.text),
                  ),
                ),
              )
            : h('div', { class: 'muted', 'data-testid': 'plan-findings-none' }, t('plan.none')),
        ),
      ),
    );
  };

  view.onLeave(
    onPlanEvent(
      coalesce(() => {
        if (view.alive() && !busy) void load();
      }),
    ),
  );
  render();
  void load();
}

function info(p: PlanSummary): HTMLElement {
  const scope = p.scope ?? {};
  const scopeText = [
    ...(scope.categories ?? []).map(categoryName),
    ...(scope.types ?? []).map(typeName),
    ...(scope.jurisdictions ?? []),
  ].join('、');
  const dueTag = (overdue: boolean | undefined, testid: string) =>
    overdue ? h('span', { class: 'tag danger', 'data-testid': testid }, t('plans.overdue')) : null;
  return h(
    'dl',
    { class: 'fields plan-info' },
    h('dt', {}, t('plan.id')),
    h('dd', {}, h('code', {}, p.id), ` · ${p.key}`),
    h('dt', {}, t('plan.owner')),
    h('dd', {}, `${p.owner} · ${p.jurisdiction}`),
    h('dt', {}, t('plan.scope')),
    h('dd', {}, scopeText || '—'),
    h('dt', {}, t('plans.colEffective')),
    h(
      'dd',
      { 'data-testid': 'plan-in-force' },
      p.effective_version ? `v${p.effective_version}` : h('span', { class: 'tag warn' }, t('plans.noneInForce')),
      ` · ${t('plans.colLatest')} v${p.latest_version} (${codeName('planStatus', p.latest_status)})`,
    ),
    h('dt', {}, t('plans.colDrilled')),
    h('dd', {}, dateOnly(p.last_drilled_at), ` · ${t('plans.dueAt', { date: dateOnly(p.drill_due_at) })}`, dueTag(p.drill_overdue, 'plan-drill-overdue')),
    h('dt', {}, t('plans.colReviewed')),
    h('dd', {}, dateOnly(p.last_reviewed_at), ` · ${t('plans.dueAt', { date: dateOnly(p.review_due_at) })}`, dueTag(p.review_overdue, 'plan-review-overdue')),
  );
}
