// Importing a plan: paste or upload its YAML (docs/PLANS.md), check it (POST /api/v1/plans/validate:
// every error and warning with its line and path; a click on one selects the line), then save it as
// a new plan (POST /plans, JSON {source}) or as a new version of an existing one (POST
// /plans/{id}/versions, the editor then starts from that plan's latest YAML). Saving is offered
// once the text as it stands has been checked without errors.
import { get, post } from './api';
import { h, fill } from './dom';
import { t } from './i18n';
import { errorText, planHref } from './planfmt';
import type { View } from './planpage';
import type { Diagnostic, PlanSummary, ValidateAnswer } from './plantypes';
import { can } from './session';

export function showImport(view: View, planId: string): void {
  let checked: { source: string; answer: ValidateAnswer } | null = null;
  let error = '';
  let busy = false;
  let fileName = 'plan.yaml';
  const text = h('textarea', {
    class: 'yaml-input',
    'data-testid': 'import-source',
    spellcheck: 'false',
    rows: 24,
    placeholder: t('import.placeholder'),
    oninput: () => renderResult(),
  });
  const file = h('input', {
    type: 'file',
    accept: '.yaml,.yml,text/yaml,application/yaml,text/plain',
    'data-testid': 'import-file',
    onchange: async () => {
      const f = file.files?.[0];
      if (!f) return;
      fileName = f.name;
      text.value = await f.text();
      checked = null;
      void validate();
    },
  });
  const result = h('div', { class: 'import-result', 'data-testid': 'import-result' });
  const validateBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'import-validate', onclick: () => void validate() }, t('import.validate'));
  const saveBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'import-save', onclick: () => void save() }, planId ? t('import.saveVersion') : t('import.save'));

  const validate = async () => {
    if (busy) return;
    busy = true;
    error = '';
    renderResult();
    const source = text.value;
    try {
      const answer = await post<ValidateAnswer>('/plans/validate', { source, name: fileName });
      checked = { source, answer };
    } catch (e) {
      error = errorText(e);
    } finally {
      busy = false;
    }
    if (view.alive()) renderResult();
  };

  const save = async () => {
    if (busy || !checked || checked.source !== text.value || !checked.answer.ok) return;
    busy = true;
    renderResult();
    try {
      const body = { source: text.value, name: fileName };
      const saved = await post<PlanSummary>(planId ? `/plans/${encodeURIComponent(planId)}/versions` : '/plans', body);
      if (view.alive()) location.hash = planHref(saved.id);
      return;
    } catch (e) {
      error = errorText(e);
    } finally {
      busy = false;
    }
    if (view.alive()) renderResult();
  };

  const renderResult = () => {
    const fresh = !!checked && checked.source === text.value;
    const a = fresh ? checked!.answer : null;
    validateBtn.disabled = busy || !text.value.trim();
    saveBtn.disabled = busy || !a?.ok;
    result.dataset.state = busy ? 'busy' : !a ? 'unchecked' : a.ok ? 'ok' : 'invalid';
    fill(result,
      error ? h('div', { class: 'form-error', 'data-testid': 'import-error' }, error) : null,
      !a
        ? h('div', { class: 'muted' }, checked ? t('import.changed') : t('import.unchecked'))
        : h(
            'div',
            {},
            h(
              'div',
              { class: a.ok ? 'tag ok' : 'tag danger', 'data-testid': 'import-summary', 'data-errors': String(a.errors), 'data-warnings': String(a.warnings) },
              a.ok ? t('import.ok', { w: a.warnings }) : t('import.invalid', { e: a.errors, w: a.warnings }),
            ),
            a.plan ? h('div', { class: 'sub' }, `${a.plan.title} · ${a.plan.key} · ${a.plan.levels.map((l) => l.level).join(' ')}`) : null,
            a.diagnostics.length ? diagnostics(a.diagnostics, text) : null,
          ),
    );
  };

  view.host.append(
    h(
      'div',
      { class: 'panel' },
      h(
        'div',
        { class: 'board-body import' },
        h(
          'div',
          { class: 'detail-head' },
          h('a', { href: planId ? planHref(planId) : planHref(), class: 'btn small ghost' }, '←'),
          h('h3', { 'data-testid': 'import-title' }, planId ? t('import.titleVersion', { id: planId }) : t('import.title')),
        ),
        can('plan.edit') ? null : h('div', { class: 'notice' }, t('import.readOnly')),
        h('div', { class: 'inline' }, h('label', { class: 'muted' }, t('import.upload')), file),
        text,
        h('div', { class: 'btn-row' }, validateBtn, can('plan.edit') ? saveBtn : null),
        result,
      ),
    ),
  );
  renderResult();
  // A new version starts from the plan's latest YAML.
  if (planId)
    void get<PlanSummary>(`/plans/${encodeURIComponent(planId)}`).then(
      (p) => {
        const latest = p.versions?.[p.versions.length - 1];
        if (view.alive() && latest?.source && !text.value) {
          text.value = latest.source;
          fileName = `${p.key}.yaml`;
          renderResult();
        }
      },
      (e) => {
        error = errorText(e);
        if (view.alive()) renderResult();
      },
    );
}

function diagnostics(list: Diagnostic[], text: HTMLTextAreaElement): HTMLElement {
  const sorted = [...list].sort((a, b) => (a.severity === b.severity ? a.line - b.line : a.severity === 'error' ? -1 : 1));
  return h(
    'table',
    { class: 'plan-table diagnostics', 'data-testid': 'import-diagnostics' },
    h('thead', {}, h('tr', {}, h('th', {}, t('import.line')), h('th', {}, t('import.path')), h('th', {}, t('import.message')))),
    h(
      'tbody',
      {},
      sorted.map((d) =>
        h(
          'tr',
          {
            class: `diag ${d.severity}`,
            'data-testid': 'import-diagnostic',
            'data-severity': d.severity,
            'data-line': String(d.line),
            title: d.text,
            onclick: () => selectLine(text, d.line),
          },
          h('td', { class: 'num' }, d.line ? String(d.line) : '—'),
          h('td', {}, h('code', {}, d.path || '—')),
          h('td', {}, h('span', { class: `tag ${d.severity === 'error' ? 'danger' : 'warn'}` }, t(d.severity === 'error' ? 'import.error' : 'import.warning')), ' ', d.message),
        ),
      ),
    ),
  );
}

function selectLine(text: HTMLTextAreaElement, line: number): void {
  if (!line) return;
  const lines = text.value.split('\n');
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
  const end = start + (lines[line - 1]?.length ?? 0);
  text.focus();
  text.setSelectionRange(start, end);
  const lh = parseFloat(getComputedStyle(text).lineHeight) || 18;
  text.scrollTop = Math.max(0, (line - 3) * lh);
}
