// Composing a CAP alert (warning.issue): pick what it is about — an open warning (a new Alert), a
// published alert to Update or Cancel, or a draft to go on with — and the form fills with the
// content the node derives (POST /alerts/preview without content; a Cancel starts from the alert it
// cancels, as the node's draft does). Every change asks for a new preview (debounced), shown beside
// the form (alertpreview.ts): the CAP XML and the codec's errors and warnings, and whether a second
// person must approve. "Save draft" creates the draft (POST /alerts) or changes it (PATCH); the
// form then shows the draft as saved (a field left empty, which the node fills from the warning
// when it creates a draft, is emptied again with a PATCH, so the draft is what was previewed).
// "Submit" saves and submits: blue and yellow are published at once, orange
// and red wait for approval. Submitting is offered only when the preview has no errors (a click
// while a preview is on its way waits for it).
import { request, post } from './api';
import { renderPreview, type PreviewState } from './alertpreview';
import { alertChanged, alerts } from './alertstate';
import { CAP_STATUSES, CATEGORIES, CERTAINTIES, SEVERITIES, URGENCIES, type Alert, type AlertContent, type DraftBody, type Preview } from './alerttypes';
import { h, fill, option } from './dom';
import { rfc3339InZone, wallToRfc3339 } from './format';
import { codeName, onLanguageChange, t } from './i18n';
import { levelText } from './monmap';
import { coalesce } from './planevents';
import { errorText } from './planfmt';
import { store } from './state';

type Source = { kind: 'w' | 'u' | 'c' | 'd'; id: string };

let formEl: HTMLElement;
let previewEl: HTMLElement;
let source: Source | null = null;
let base: AlertContent | null = null; // what the form's fields are laid over (area, geocodes …)
let draft: Alert | null = null; // the saved draft being edited
let preview: PreviewState = { answer: null, error: '', pending: false };
let busy = false;
let result = '';
let error = '';
let asked = 0; // preview requests sent; an answer to an older one is dropped
// The body of the newest preview asked for: a change event that changes nothing (a field losing
// focus) asks for none, so it cannot disable the button being clicked.
let lastBody = '';

const zone = () => store.node?.timeZone ?? 'Asia/Shanghai';

// The form's controls, made once and kept (typing never loses focus to a re-render).
const ctl = {
  source: h('select', { 'data-testid': 'compose-source', onchange: () => void choose(ctl.source.value) }),
  status: h('select', { 'data-testid': 'compose-status' }),
  category: h('div', { class: 'cat-chips', 'data-testid': 'compose-categories' }), // CAP allows several
  event: h('input', { 'data-testid': 'compose-event', maxlength: 200 }),
  headline: h('input', { 'data-testid': 'compose-headline', maxlength: 500 }),
  urgency: h('select', { 'data-testid': 'compose-urgency' }),
  severity: h('select', { 'data-testid': 'compose-severity' }),
  certainty: h('select', { 'data-testid': 'compose-certainty' }),
  description: h('textarea', { 'data-testid': 'compose-description', rows: 4, maxlength: 8000 }),
  instruction: h('textarea', { 'data-testid': 'compose-instruction', rows: 3, maxlength: 4000 }),
  area_desc: h('input', { 'data-testid': 'compose-area', maxlength: 500 }),
  expires: h('input', { type: 'datetime-local', 'data-testid': 'compose-expires' }),
};
const fieldsBox = h('fieldset', { class: 'compose-fields', 'data-testid': 'compose-fields' });
const approvalEl = h('div', { class: 'compose-approval', 'data-testid': 'compose-approval' });
const messageEl = h('div', { class: 'compose-message' });
const saveBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'compose-save', onclick: () => void save(false) });
const submitBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'compose-submit', onclick: () => void save(true) });
const resetBtn = h('button', { type: 'button', class: 'btn ghost', 'data-testid': 'compose-reset', onclick: () => reset() });

export function initCompose(form: HTMLElement, previewPane: HTMLElement): void {
  formEl = form;
  previewEl = previewPane;
  for (const c of [ctl.status, ctl.category, ctl.event, ctl.headline, ctl.urgency, ctl.severity, ctl.certainty, ctl.description, ctl.instruction, ctl.area_desc, ctl.expires]) {
    c.addEventListener('input', changed);
    c.addEventListener('change', changed);
  }
  alerts.on('alerts', renderSources);
  alerts.on('warnings', renderSources);
  onLanguageChange(() => {
    relabel();
    renderSources();
    build();
    render();
  });
  relabel();
  renderSources();
  build();
  render();
}

/** Starts composing from a published alert (Update or Cancel) or a draft (the lists' buttons). */
export function composeFrom(kind: 'u' | 'c' | 'd', id: string): void {
  void choose(`${kind}:${id}`);
  formEl.scrollIntoView({ block: 'nearest' });
}

function selectOptions(sel: HTMLSelectElement, values: string[], label: (v: string) => string): void {
  const keep = sel.value;
  fill(sel, values.map((v) => option(v, label(v), v === keep)));
}

function relabel(): void {
  selectOptions(ctl.status, CAP_STATUSES, (v) => codeName('alert.capStatus', v));
  const checked = new Set(categories());
  fill(
    ctl.category,
    CATEGORIES.map((v) =>
      h('label', { class: 'cat-chip', title: v }, h('input', { type: 'checkbox', value: v, checked: checked.has(v), 'data-testid': 'compose-category', 'data-category': v }), codeName('alert.category', v)),
    ),
  );
  selectOptions(ctl.urgency, URGENCIES, (v) => `${codeName('alert.urgency', v)} (${v})`);
  selectOptions(ctl.severity, SEVERITIES, (v) => `${codeName('alert.severity', v)} (${v})`);
  selectOptions(ctl.certainty, CERTAINTIES, (v) => `${codeName('alert.certainty', v)} (${v})`);
}

/** The choices: open warnings, published alerts (update, cancel) and drafts. */
function renderSources(): void {
  const keep = source ? `${source.kind}:${source.id}` : '';
  const warnings = alerts.openWarnings();
  const published = alerts.list((a) => a.direction === 'outgoing' && a.state === 'published' && a.msg_type !== 'Cancel');
  const drafts = alerts.list((a) => a.direction === 'outgoing' && a.state === 'draft');
  const title = (a: Alert) => `${a.id} · ${a.content.headline || a.content.event}`;
  fill(
    ctl.source,
    option('', warnings.length || published.length || drafts.length ? t('alert.pickSource') : t('alert.noSource'), !keep),
    warnings.length ? h('optgroup', { label: t('alert.fromWarning') }, warnings.map((w) => option(`w:${w.id}`, `[${levelText(w.level)}] ${w.title} · ${w.id}`))) : null,
    published.length
      ? h('optgroup', { label: t('alert.fromPublished') }, published.flatMap((a) => [option(`u:${a.id}`, `${t('alert.update')} ${title(a)}`), option(`c:${a.id}`, `${t('alert.cancel')} ${title(a)}`)]))
      : null,
    drafts.length ? h('optgroup', { label: t('alert.fromDraft') }, drafts.map((a) => option(`d:${a.id}`, `${t('alert.draft')} ${title(a)}`))) : null,
  );
  ctl.source.value = keep;
  if (keep && ctl.source.value !== keep) ctl.source.append(option(keep, keep, true)); // no longer offered: still what is edited
}

async function choose(value: string): Promise<void> {
  result = '';
  error = '';
  draft = null;
  base = null;
  preview = { answer: null, error: '', pending: false };
  lastBody = '';
  const [kind, ...rest] = value.split(':');
  source = value ? { kind: kind as Source['kind'], id: rest.join(':') } : null;
  renderSources();
  if (!source) return render();
  const a = source.kind === 'w' ? null : alerts.alerts.get(source.id);
  if (source.kind !== 'w' && !a) {
    error = t('alert.gone', { id: source.id });
    return render();
  }
  if (source.kind === 'd' && a) {
    draft = a;
    ctl.status.value = a.cap_status;
    setFields(a.content);
  } else if (source.kind === 'c' && a) {
    ctl.status.value = a.cap_status;
    setFields({ ...a.content, headline: `解除：${a.content.headline}` });
  } else {
    if (source.kind === 'u' && a) ctl.status.value = a.cap_status;
    else ctl.status.value = 'Actual';
    // The node's content for the warning: the preview of a draft without content.
    preview.pending = true;
    render();
    const n = ++asked;
    try {
      const answer = await post<Preview>('/alerts/preview', draftBody(false));
      if (n !== asked) return;
      setFields(answer.content);
      preview = { answer, error: '', pending: false };
      lastBody = bodyKey();
    } catch (e) {
      if (n !== asked) return;
      preview = { answer: null, error: errorText(e), pending: false };
    }
    return render();
  }
  render();
  askPreview();
}

/** The categories ticked, in CAP's order. */
function categories(): string[] {
  return [...ctl.category.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
}

function setFields(c: AlertContent): void {
  base = c;
  ctl.category.querySelectorAll<HTMLInputElement>('input').forEach((i) => (i.checked = c.categories.includes(i.value)));
  ctl.event.value = c.event;
  ctl.headline.value = c.headline;
  ctl.urgency.value = c.urgency;
  ctl.severity.value = c.severity;
  ctl.certainty.value = c.certainty;
  ctl.description.value = c.description;
  ctl.instruction.value = c.instruction;
  ctl.area_desc.value = c.area_desc;
  ctl.expires.value = c.expires ? rfc3339InZone(new Date(c.expires), zone()).slice(0, 16) : '';
}

/** The content as the form has it (its fields over `base`); throws a message for a bad expiry. */
function formContent(): AlertContent {
  if (!base) throw new Error(t('alert.pickSource'));
  let expires: string | null = null;
  if (ctl.expires.value) {
    expires = wallToRfc3339(ctl.expires.value, zone());
    if (!expires) throw new Error(t('alert.badExpires', { value: ctl.expires.value }));
  }
  return {
    ...base,
    categories: categories(),
    event: ctl.event.value.trim(),
    headline: ctl.headline.value.trim(),
    urgency: ctl.urgency.value,
    severity: ctl.severity.value,
    certainty: ctl.certainty.value,
    description: ctl.description.value.trim(),
    instruction: ctl.instruction.value.trim(),
    area_desc: ctl.area_desc.value.trim(),
    expires,
  };
}

/** What POST /alerts and /alerts/preview are sent for the current source. */
function draftBody(withContent: boolean): DraftBody {
  const s = source!;
  const a = s.kind === 'w' ? null : (draft ?? alerts.alerts.get(s.id) ?? null);
  const body: DraftBody =
    s.kind === 'w'
      ? { warning_id: s.id, msg_type: 'Alert', status: ctl.status.value }
      : s.kind === 'd' && a
        ? { warning_id: a.warning_id, msg_type: a.msg_type as DraftBody['msg_type'], status: a.cap_status, ...(a.replaces ? { replaces: a.replaces } : {}) }
        : { replaces: s.id, msg_type: s.kind === 'u' ? 'Update' : 'Cancel', status: ctl.status.value };
  if (withContent) body.content = formContent();
  return body;
}

function changed(): void {
  result = '';
  askPreview();
}

/** The preview body for the form as it stands (a bad expiry: a key of its own). */
function bodyKey(): string {
  try {
    return JSON.stringify(draftBody(true));
  } catch (e) {
    return `bad: ${errorText(e)}`;
  }
}

function askPreview(): void {
  if (!source || !base) return;
  const key = bodyKey();
  if (key === lastBody && !preview.error) return;
  lastBody = key;
  preview.pending = true;
  previewSoon();
  render();
}

const previewSoon = coalesce(() => void runPreview(), 300);

async function runPreview(): Promise<void> {
  if (!source || !base) return;
  const n = ++asked;
  let body: DraftBody;
  try {
    body = draftBody(true);
  } catch (e) {
    preview = { answer: null, error: errorText(e), pending: false };
    return render();
  }
  try {
    const answer = await post<Preview>('/alerts/preview', body);
    if (n === asked) preview = { answer, error: '', pending: false };
  } catch (e) {
    if (n === asked) preview = { answer: null, error: errorText(e), pending: false };
  }
  if (n === asked) render();
}

const settleWaiters: Array<() => void> = [];

/** Resolves once the newest preview asked for has come back. */
function previewSettled(): Promise<void> {
  return preview.pending ? new Promise((resolve) => settleWaiters.push(resolve)) : Promise.resolve();
}

async function save(andSubmit: boolean): Promise<void> {
  if (!source || busy) return;
  busy = true;
  error = '';
  result = '';
  render();
  try {
    // Submitting goes by the preview of what is submitted: a click right after typing waits for it.
    if (andSubmit) {
      await previewSettled();
      if (!preview.answer?.ok) throw new Error(preview.error || t('alert.fixFirst', { n: preview.answer?.issues.filter((i) => i.severity === 'error').length ?? 0 }));
    }
    const body = draftBody(true);
    const patch = async (id: string) => (await request<Alert>('PATCH', `/alerts/${encodeURIComponent(id)}`, { content: body.content })).body;
    let a: Alert = draft ? await patch(draft.id) : await post<Alert>('/alerts', body);
    // A new draft keeps the node's derived value where a field was sent empty: set it to exactly
    // what was previewed.
    if (!draft && filledIn(body.content!, a.content)) a = await patch(a.id);
    alertChanged(a);
    draft = a;
    source = { kind: 'd', id: a.id };
    setFields(a.content);
    if (andSubmit) {
      a = await post<Alert>(`/alerts/${encodeURIComponent(a.id)}/submit`, {});
      alertChanged(a);
      result = a.state === 'published' ? t('alert.publishedNow', { id: a.id, identifier: a.identifier }) : t('alert.waiting', { id: a.id, permission: a.approval });
      source = null;
      draft = null;
      base = null;
      preview = { answer: null, error: '', pending: false };
    } else {
      result = t('alert.saved', { id: a.id });
      askPreview();
    }
  } catch (e) {
    error = errorText(e);
  } finally {
    busy = false;
    renderSources();
    render();
  }
}

/** Whether the node filled in a field that was sent empty. */
function filledIn(sent: AlertContent, got: AlertContent): boolean {
  const empty = (v: unknown) => v == null || v === '' || (Array.isArray(v) && v.length === 0);
  return (Object.keys(sent) as Array<keyof AlertContent>).some((k) => empty(sent[k]) && !empty(got[k]));
}

function reset(): void {
  source = null;
  draft = null;
  base = null;
  result = '';
  error = '';
  asked++;
  lastBody = '';
  preview = { answer: null, error: '', pending: false };
  renderSources();
  render();
}

const field = (label: string, control: HTMLElement, name: string) =>
  h('div', { class: 'field', 'data-field': name }, h('label', {}, label), h('div', { class: 'control' }, control));

const draftTag = h('span', { class: 'tag', 'data-testid': 'compose-draft-id' });
const rejectedEl = h('div', { class: 'hint', 'data-testid': 'compose-rejected' });
const buttons = h('div', { class: 'btn-row' }, saveBtn, submitBtn, resetBtn);

/** The form's layout, made once (and again when the language changes): the controls stay put
 * while the person types, render() only updates what changes around them. */
function build(): void {
  fill(
    fieldsBox,
    field(t('alert.f.status'), ctl.status, 'status'),
    field(t('alert.f.category'), ctl.category, 'category'),
    field(t('alert.f.event'), ctl.event, 'event'),
    field(t('alert.f.headline'), ctl.headline, 'headline'),
    h('div', { class: 'row3' }, field(t('alert.f.urgency'), ctl.urgency, 'urgency'), field(t('alert.f.severity'), ctl.severity, 'severity'), field(t('alert.f.certainty'), ctl.certainty, 'certainty')),
    field(t('alert.f.description'), ctl.description, 'description'),
    field(t('alert.f.instruction'), ctl.instruction, 'instruction'),
    field(t('alert.f.area'), ctl.area_desc, 'area_desc'),
    field(t('alert.f.expires'), ctl.expires, 'expires'),
  );
  fill(
    formEl,
    h('div', { class: 'panel-head' }, h('h2', {}, t('alert.compose')), draftTag),
    h('div', { class: 'pane' }, field(t('alert.f.source'), ctl.source, 'source'), rejectedEl, fieldsBox, approvalEl, buttons, messageEl),
  );
}

function render(): void {
  const answer = preview.answer;
  const errors = answer?.issues.filter((i) => i.severity === 'error') ?? [];
  const approval = draft?.approval ?? answer?.approval ?? '';
  const last = draft ? [...draft.steps].reverse().find((s) => s.action === 'rejected' || s.action === 'submitted') : undefined;
  draftTag.hidden = !draft;
  draftTag.textContent = draft?.id ?? '';
  rejectedEl.hidden = last?.action !== 'rejected';
  rejectedEl.textContent = last?.action === 'rejected' ? t('alert.rejectedBy', { by: last.by, note: last.note }) : '';
  fieldsBox.disabled = !source || !base || busy;
  ctl.status.disabled = !!draft; // a draft's status is set when it is created
  // Fields the errors name are marked (the issue's path ends in the CAP element).
  const bad = new Set(errors.map((i) => elementField(i.path)));
  fieldsBox.querySelectorAll<HTMLElement>('.field').forEach((f) => f.classList.toggle('has-error', bad.has(f.dataset.field ?? '')));
  approvalEl.textContent =
    !source || !answer ? '' : approval ? t('alert.needsApproval', { permission: approval, level: levelText(draft?.level ?? levelOf(approval)) }) : t('alert.noApproval');
  approvalEl.dataset.approval = approval;
  approvalEl.classList.toggle('needs', !!approval);
  saveBtn.textContent = busy ? '…' : t('alert.saveDraft');
  saveBtn.disabled = !source || !base || busy;
  submitBtn.textContent = busy ? '…' : t(approval ? 'alert.submitForApproval' : 'alert.submitPublish');
  submitBtn.disabled = !source || !base || busy || (!preview.pending && !answer?.ok);
  submitBtn.title = errors.length ? t('alert.fixFirst', { n: errors.length }) : '';
  resetBtn.textContent = t('alert.discard');
  resetBtn.hidden = !source;
  fill(
    messageEl,
    error ? h('div', { class: 'form-error', 'data-testid': 'compose-error' }, error) : null,
    result ? h('div', { class: 'result', 'data-testid': 'compose-result' }, result) : null,
  );
  renderPreview(previewEl, source ? preview : null);
  if (!preview.pending) for (const w of settleWaiters.splice(0)) w();
}

function levelOf(approval: string): string {
  return approval.slice(approval.lastIndexOf('.') + 1);
}

/** The form field an issue's path points at: /alert/info[1]/areaDesc → area_desc. */
function elementField(path: string): string {
  const last = (path.split('/').pop() ?? '').replace(/\[\d+\]$/, '');
  const map: Record<string, string> = { areaDesc: 'area_desc', category: 'category', event: 'event', headline: 'headline', urgency: 'urgency', severity: 'severity', certainty: 'certainty', description: 'description', instruction: 'instruction', expires: 'expires', status: 'status' };
  return map[last] ?? '';
}
