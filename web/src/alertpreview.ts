// The composer's live preview: the CAP 1.2 document the alert would be (identifier and sent time
// provisional until it is published) and the codec's messages — errors in red, warnings in amber,
// each with its stable code and element path (docs/CAP.md "Validation codes"). The pane's
// data-state says where it is: idle, pending (a newer preview is on its way), ok, errors, failed.
import type { CapIssue, Preview } from './alerttypes';
import { h, fill } from './dom';
import { showTime } from './format';
import { t } from './i18n';

export interface PreviewState {
  answer: Preview | null;
  error: string; // the preview request failed (a refused body, the network)
  pending: boolean;
}

const xmlEl = h('pre', { class: 'cap-xml', 'data-testid': 'preview-xml' });

export function renderPreview(el: HTMLElement, s: PreviewState | null): void {
  const a = s?.answer ?? null;
  const errors = a?.issues.filter((i) => i.severity === 'error') ?? [];
  el.dataset.state = !s ? 'idle' : s.pending ? 'pending' : s.error ? 'failed' : !a ? 'idle' : errors.length ? 'errors' : 'ok';
  el.dataset.errors = String(errors.length);
  if (xmlEl.textContent !== (a?.xml ?? '')) xmlEl.textContent = a?.xml ?? '';
  fill(
    el,
    h(
      'div',
      { class: 'panel-head' },
      h('h2', {}, t('alert.preview')),
      s?.pending ? h('span', { class: 'muted small', 'data-testid': 'preview-pending' }, t('alert.previewing')) : null,
      a ? h('span', { class: 'muted small', 'data-testid': 'preview-identifier', title: t('alert.provisional') }, `${a.provisional.identifier} · ${showTime(a.provisional.sent)}`) : null,
    ),
    h(
      'div',
      { class: 'pane' },
      !s ? h('div', { class: 'empty small' }, t('alert.previewIdle')) : null,
      s?.error ? h('div', { class: 'form-error', 'data-testid': 'preview-error' }, s.error) : null,
      a ? issueList(a.issues) : null,
      a ? xmlEl : null,
    ),
  );
}

export function issueList(issues: CapIssue[], testid = 'preview-issues'): HTMLElement {
  if (!issues.length) return h('div', { class: 'cap-valid', 'data-testid': `${testid}-none` }, t('alert.valid'));
  const sorted = [...issues].sort((x, y) => Number(x.severity !== 'error') - Number(y.severity !== 'error'));
  return h(
    'ul',
    { class: 'cap-issues', 'data-testid': testid },
    sorted.map((i) =>
      h(
        'li',
        { class: `cap-issue sev-${i.severity}`, 'data-testid': 'cap-issue', 'data-severity': i.severity, 'data-code': i.code, 'data-path': i.path },
        h('span', { class: 'sev' }, t(i.severity === 'error' ? 'alert.error' : 'alert.warning')),
        h('code', { class: 'code' }, i.code),
        h('code', { class: 'path' }, i.path),
        h('div', { class: 'msg' }, i.message),
      ),
    ),
  );
}
