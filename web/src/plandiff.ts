// The line diff between two versions of a plan's YAML (GET /api/v1/plans/{id}/diff?from=&to=):
// pick the two versions, see removed and added lines with their line numbers.
import { get } from './api';
import { h, option, fill } from './dom';
import { t } from './i18n';
import { errorText } from './planfmt';
import type { DiffAnswer, PlanSummary } from './plantypes';

export function renderDiff(plan: PlanSummary, alive: () => boolean): HTMLElement {
  const n = plan.versions?.length ?? 0;
  const out = h('div', { class: 'diff-out', 'data-testid': 'diff-out' });
  if (n < 2) return h('div', { class: 'muted', 'data-testid': 'diff-none' }, t('diff.onlyOne'));
  const pick = (testid: string, selected: number) =>
    h(
      'select',
      { 'data-testid': testid },
      (plan.versions ?? []).map((v) => option(String(v.number), `v${v.number}`, v.number === selected)),
    );
  const from = pick('diff-from', n - 1);
  const to = pick('diff-to', n);
  const load = async () => {
    out.dataset.loading = 'true';
    let body: Node;
    try {
      const d = await get<DiffAnswer>(`/plans/${encodeURIComponent(plan.id)}/diff?from=${from.value}&to=${to.value}`);
      body = lines(d);
    } catch (e) {
      body = h('div', { class: 'form-error' }, errorText(e));
    }
    if (!alive()) return;
    fill(out, body);
    out.dataset.loading = 'false';
  };
  return h(
    'div',
    { class: 'plan-diff' },
    h(
      'div',
      { class: 'inline' },
      t('diff.from'),
      from,
      t('diff.to'),
      to,
      h('button', { type: 'button', class: 'btn small', 'data-testid': 'diff-show', onclick: () => void load() }, t('diff.show')),
    ),
    out,
  );
}

function lines(d: DiffAnswer): HTMLElement {
  const changed = d.lines.some((l) => l.op !== ' ');
  if (!changed) return h('div', { class: 'muted', 'data-testid': 'diff-same' }, t('diff.same'));
  return h(
    'table',
    { class: 'diff', 'data-testid': 'diff-lines' },
    h(
      'tbody',
      {},
      d.lines.map((l) =>
        h(
          'tr',
          { class: l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'same', 'data-op': l.op },
          h('td', { class: 'ln' }, l.old_line ? String(l.old_line) : ''),
          h('td', { class: 'ln' }, l.new_line ? String(l.new_line) : ''),
          h('td', { class: 'op' }, l.op),
          h('td', { class: 'code' }, l.text),
        ),
      ),
    ),
  );
}
