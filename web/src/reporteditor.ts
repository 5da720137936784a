// The report pane: the report the hash names (#reports/ID). The drafting office (report.write)
// gets the editor: each required element as a field (consequences as numbers, empty = not stated),
// the elements the node still finds missing listed on top and their fields marked, Save (PATCH the
// working draft), Submit (the node refuses an incomplete report with 422 report.incomplete: its
// message and the missing list are shown), a correction note once a version has been submitted,
// the version history and links to the rendered document. The receiving office gets the reader
// (reportinbox.ts's reader): the last submitted version, read-only, with acknowledge and return.
// A report changed live re-renders unless it is being edited (typed changes are kept until saved).
import { ApiError, get, request } from './api';
import { h, fill } from './dom';
import { wallToRfc3339 } from './format';
import { lang, onLanguageChange, t } from './i18n';
import { errorText } from './planfmt';
import { placeName } from './reportboard';
import { readerPane } from './reportinbox';
import { myJurisdictions, reportChanged, reports } from './reportstate';
import { CONSEQUENCE_KEYS, SHORT_ELEMENTS, TEXT_ELEMENTS, normContent, wireContent, type Content, type Report } from './reporttypes';
import { contentList, documentLinks, elementName, isPeriodType, missingName, reportHead, versionHistory } from './reportview';
import { can } from './session';
import { store } from './state';

let root: HTMLElement;
/** The report being edited and the typed state of its form. */
let editing = '';
let form: Content | null = null;
let dirty = false;
let edits = 0; // bumped by every keystroke: a save's answer replaces the form only if none came since
let note = '';
let message = '';
let error = '';
let refused = false; // the last submit was refused as incomplete
let busy = false;
let loadError = '';

export function initReportPane(el: HTMLElement): void {
  root = el;
  reports.on('selection', () => {
    if (reports.selected !== editing) {
      editing = reports.selected;
      form = null;
      dirty = false;
      note = message = error = loadError = '';
      refused = false;
      ensureLoaded();
    }
    render();
  });
  reports.on('reports', () => {
    if (!dirty && !busy) render();
    else updateStatus(); // keep the typing; the status line follows
  });
  onLanguageChange(render);
  render();
}

let fetching = '';

/** A report named in the hash but not in the store, or held only as a list entry: fetched whole. */
function ensureLoaded(): void {
  const id = editing;
  const held = reports.reports.get(id);
  if (!id || (held && !held.partial) || fetching === id) return;
  fetching = id;
  get<Report>(`/reports/${encodeURIComponent(id)}`).then(
    (r) => {
      if (fetching === id) fetching = '';
      reportChanged(r);
    },
    (e: unknown) => {
      if (fetching === id) fetching = '';
      if (editing !== id) return;
      loadError = errorText(e);
      render();
    },
  );
}

/** Within: a GB/T 2260 code at or below another (province XX0000, city XXXX00). */
function within(code: string, anc: string): boolean {
  if (anc === '000000') return true;
  if (anc.endsWith('0000')) return code.slice(0, 2) === anc.slice(0, 2);
  if (anc.endsWith('00')) return code.slice(0, 4) === anc.slice(0, 4);
  return code === anc;
}

/** Whether this console drafts the report (its office is the person's) or receives it. */
function isAuthor(r: Report): boolean {
  const mine = myJurisdictions();
  if (mine.includes(r.to_jurisdiction) && !mine.includes(r.jurisdiction)) return false;
  return can('report.write') && mine.some((j) => within(r.jurisdiction, j));
}

function render(): void {
  const r = editing ? reports.reports.get(editing) : undefined;
  if (!editing) return fill(root, h('div', { class: 'empty', 'data-testid': 'rep-none' }, t('rep.pickOne')));
  if (!r || r.partial) {
    if (!loadError) ensureLoaded();
    return fill(root, h('div', { class: loadError ? 'form-error' : 'empty' }, loadError || t('app.loading')));
  }
  const focus = focused();
  if (!isAuthor(r)) fill(root, readerPane(r));
  else {
    if (!form || !dirty) form = normContent(r.content);
    fill(root, editor(r, form));
  }
  restore(focus);
}

interface Focus {
  testid: string;
  field: string;
  start: number | null;
  end: number | null;
}

function focused(): Focus | null {
  const el = document.activeElement as HTMLInputElement | null;
  if (!el || !root.contains(el)) return null;
  const testid = el.getAttribute('data-testid') ?? '';
  let start: number | null = null;
  let end: number | null = null;
  try {
    start = el.selectionStart;
    end = el.selectionEnd;
  } catch {
    /* number inputs have no selection */
  }
  return { testid, field: el.getAttribute('data-field') ?? '', start, end };
}

function restore(f: Focus | null): void {
  if (!f?.testid) return;
  const sel = `[data-testid="${f.testid}"]${f.field ? `[data-field="${CSS.escape(f.field)}"]` : ''}`;
  const el = root.querySelector<HTMLInputElement>(sel);
  if (!el) return;
  el.focus();
  try {
    if (f.start !== null && f.end !== null) el.setSelectionRange(f.start, f.end);
  } catch {
    /* ignore */
  }
}

function touched(): void {
  dirty = true;
  edits++;
  message = '';
  updateStatus();
}

/** The status line and the save button, without re-rendering the fields (typing continues). */
function updateStatus(): void {
  const el = root.querySelector<HTMLElement>('[data-testid="rep-dirty"]');
  if (el) el.textContent = dirty ? t('rep.unsaved') : t('rep.saved');
  root.querySelector<HTMLElement>('[data-testid="rep-editor"]')?.setAttribute('data-dirty', String(dirty));
}

/** The fields the type asks for, plus any element the node names missing that is not among them. */
function fieldsFor(r: Report): string[] {
  const base = isPeriodType(r.type) ? ['period', 'body', 'reporting_unit', 'contact'] : [...TEXT_ELEMENTS.slice(0, 5), 'consequences', ...TEXT_ELEMENTS.slice(5)];
  if (r.type === 'special') base.push('body');
  for (const m of r.missing) if (!base.includes(m.element)) base.push(m.element);
  return base;
}

function editor(r: Report, c: Content): HTMLElement {
  const missing = new Map(r.missing.map((m) => [m.element, m]));
  const corrected = r.versions.length > 0;
  const field = (key: string, control: HTMLElement | HTMLElement[]) => {
    const m = missing.get(key);
    return h(
      'div',
      { class: `field rep-field${m ? ' has-error' : ''}`, 'data-field': key, 'data-missing': m ? 'true' : 'false' },
      h('label', {}, elementName(key)),
      h('div', { class: 'control' }, control),
      m ? h('div', { class: 'field-error', 'data-testid': 'rep-field-missing' }, lang() === 'en' && m.why ? m.why : t('rep.required')) : null,
    );
  };
  const text = (key: Exclude<keyof Content, 'consequences'>, rows = 3) => {
    const attrs = {
      'data-testid': 'rep-field',
      'data-field': key,
      value: c[key],
      oninput: (e: Event) => {
        c[key] = (e.target as HTMLInputElement).value;
        touched();
      },
    };
    return SHORT_ELEMENTS.has(key) || key === 'title' ? h('input', attrs) : h('textarea', { ...attrs, rows });
  };
  const zone = store.node?.timeZone ?? 'Asia/Shanghai';
  const when = (key: 'time' | 'period_from' | 'period_to') =>
    h('input', {
      type: 'datetime-local',
      'data-testid': 'rep-field',
      'data-field': key,
      value: toWall(c[key], zone),
      onchange: (e: Event) => {
        const v = (e.target as HTMLInputElement).value;
        c[key] = v ? wallToRfc3339(v, zone) ?? v : '';
        touched();
      },
    });
  const consequences = CONSEQUENCE_KEYS.map((k) =>
    h(
      'label',
      { class: 'rep-num' },
      h('span', {}, elementName(`consequences.${k}`)),
      h('input', {
        type: 'number',
        min: 0,
        step: 1,
        placeholder: t('rep.notStated'),
        'data-testid': 'rep-consequence',
        'data-field': k,
        value: c.consequences[k] ?? '',
        oninput: (e: Event) => {
          const v = (e.target as HTMLInputElement).value.trim();
          const n = Number(v);
          c.consequences[k] = v === '' || !Number.isFinite(n) ? null : n;
          touched();
        },
      }),
    ),
  );
  const fields = fieldsFor(r).map((key) => {
    if (key === 'consequences') return field(key, h('div', { class: 'rep-nums' }, consequences));
    if (key === 'period') return field(key, [when('period_from'), h('span', { class: 'muted' }, '—'), when('period_to')]);
    if (key === 'time') return field(key, when('time'));
    if (key === 'body') return field(key, text('body', isPeriodType(r.type) ? 14 : 5));
    if (key in c && key !== 'consequences') return field(key, text(key as Exclude<keyof Content, 'consequences'>));
    return field(key, h('span', { class: 'muted' }, t('rep.notEditable')));
  });
  return h(
    'div',
    { class: 'rep-editor', 'data-testid': 'rep-editor', 'data-report-id': r.id, 'data-status': r.status, 'data-dirty': String(dirty), 'data-missing-count': r.missing.length },
    reportHead(r),
    r.status === 'returned' && r.returns.length ? h('div', { class: 'form-error', 'data-testid': 'rep-returned' }, t('rep.returnedReason', { reason: r.returns[r.returns.length - 1].reason })) : null,
    missingBox(r),
    h('div', { class: 'field' }, h('label', {}, elementName('title')), h('div', { class: 'control' }, text('title'))),
    fields,
    corrected
      ? h(
          'div',
          { class: 'field', 'data-field': 'note' },
          h('label', {}, t('rep.correctionNote')),
          h('input', { 'data-testid': 'rep-note', 'data-field': 'note', value: note, placeholder: t('rep.correctionHint'), oninput: (e: Event) => (note = (e.target as HTMLInputElement).value) }),
        )
      : null,
    error ? h('div', { class: 'form-error', 'data-testid': 'rep-error' }, error) : null,
    message ? h('div', { class: 'result', 'data-testid': 'rep-result' }, message) : null,
    h(
      'div',
      { class: 'btn-row rep-actions' },
      h('button', { type: 'button', class: 'btn', disabled: busy, 'data-testid': 'rep-save', onclick: () => void save() }, t('rep.save')),
      h('button', { type: 'button', class: 'btn primary', disabled: busy, 'data-testid': 'rep-submit', onclick: () => void submit() }, corrected ? t('rep.submitCorrection') : t('rep.submit')),
      h('span', { class: 'muted small', 'data-testid': 'rep-dirty' }, dirty ? t('rep.unsaved') : t('rep.saved')),
      documentLinks(r),
    ),
    versionHistory(r),
    r.versions.length ? h('details', { class: 'rep-last' }, h('summary', { class: 'small muted' }, t('rep.lastSubmitted')), contentList(r.type, r.versions[r.versions.length - 1].content)) : null,
  );
}

/** The elements still missing, as the node judges the saved draft. */
function missingBox(r: Report): HTMLElement {
  if (!r.missing.length) return h('div', { class: 'rep-complete small', 'data-testid': 'rep-complete' }, dirty ? t('rep.saveToCheck') : t('rep.complete'));
  return h(
    'div',
    { class: `rep-missing${refused ? ' refused' : ''}`, 'data-testid': 'rep-missing', 'data-count': r.missing.length },
    h('div', { class: 'small' }, refused ? t('rep.refused') : t('rep.missingTitle', { n: r.missing.length })),
    h(
      'ul',
      {},
      r.missing.map((m) => h('li', { 'data-testid': 'rep-missing-item', 'data-element': m.element }, h('strong', {}, missingName(m)), lang() === 'en' && m.why ? ` — ${m.why}` : '')),
    ),
  );
}

/** An RFC 3339 time as the wall time of an <input type=datetime-local> in the node's zone. */
function toWall(iso: string, zone: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p: Record<string, string> = {};
  for (const x of new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d))
    p[x.type] = x.value;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** PATCHes the typed content; true when saved (or nothing to save). */
async function save(rerender = true): Promise<boolean> {
  const id = editing;
  if (!form || !dirty) return true;
  const sent = edits;
  busy = true;
  error = '';
  if (rerender) render();
  try {
    const { body } = await request<Report>('PATCH', `/reports/${encodeURIComponent(id)}`, { content: wireContent(form) });
    if (editing !== id) return true;
    if (edits === sent) dirty = false;
    reportChanged(body);
    message = t('rep.savedAt', { id });
    return true;
  } catch (e) {
    error = errorText(e);
    return false;
  } finally {
    busy = false;
    if (rerender) render();
  }
}

async function submit(): Promise<void> {
  const id = editing;
  const r = reports.reports.get(id);
  if (!r) return;
  if (r.versions.length && !note.trim()) {
    error = t('rep.noteNeeded');
    return render();
  }
  busy = true;
  refused = false;
  message = error = '';
  render();
  try {
    if (!(await save(false))) return;
    const answer = await request<Report>('POST', `/reports/${encodeURIComponent(id)}/submit`, note.trim() ? { note: note.trim() } : {});
    reportChanged(answer.body);
    note = '';
    message = t('rep.submitted', { id, n: answer.body.versions.length, to: placeName(answer.body.to_jurisdiction) });
  } catch (e) {
    error = errorText(e);
    if (e instanceof ApiError && e.code === 'report.incomplete') {
      refused = true;
      // The refusal names the elements; the record (with `missing`) shows which fields to fill.
      try {
        reportChanged(await get<Report>(`/reports/${encodeURIComponent(id)}`));
      } catch {
        /* the message says it */
      }
    }
  } finally {
    busy = false;
    render();
  }
}
