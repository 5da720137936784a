// The warnings board (warning.read): open warnings, the gravest first, each with its level colour,
// station and parameter (or fence and object), value against the limit, status and when raised; a
// warning raised while the board is open appears without a reload and is highlighted for a while
// (role="status" list, so screen readers announce it). Holders of warning.issue act on a warning:
// confirm (raised), issue (raised or confirmed), change the level, lift (with a note, in a dialog)
// and open an incident from it (also incident.report) — or follow the link to the incident it has.
import { post } from './api';
import { openDialog } from './dialog';
import { h, fill, option } from './dom';
import { showTime } from './format';
import { codeName, onLanguageChange, t } from './i18n';
import { fmtValue } from './monchart';
import { levelText } from './monmap';
import { mon, warningChanged } from './monstate';
import { LEVELS, type Warning } from './montypes';
import { showPage } from './pages';
import { errorText } from './planfmt';
import { selectIncident } from './selection';
import { can } from './session';

let root: HTMLElement;
let onStation: (id: string, parameter: string) => void;
const busy = new Set<string>();
let error = '';

export function initWarningBoard(el: HTMLElement, station: (id: string, parameter: string) => void): void {
  root = el;
  onStation = station;
  mon.on('warnings', render);
  mon.on('stations', render);
  onLanguageChange(render);
  render();
  // Fresh highlights run out.
  window.setInterval(() => {
    const now = Date.now();
    let changed = false;
    for (const [id, until] of mon.fresh)
      if (until < now) {
        mon.fresh.delete(id);
        changed = true;
      }
    if (changed) render();
  }, 2000);
}

function render(): void {
  const list = mon.openWarnings();
  const loadError = mon.errors.get('warnings');
  fill(
    root,
    h('div', { class: 'panel-head' }, h('h2', {}, t('mon.warnings')), h('span', { class: 'count', 'data-testid': 'warning-count' }, t('mon.warningCount', { n: list.length }))),
    loadError ? h('div', { class: 'form-error' }, loadError) : null,
    error ? h('div', { class: 'form-error', 'data-testid': 'warning-error' }, error) : null,
    h(
      'ul',
      { class: 'mon-list warning-list', 'data-testid': 'warning-board', role: 'status', 'aria-live': 'polite' },
      list.length ? list.map(row) : h('li', { class: 'empty small', 'data-testid': 'warning-none' }, mon.loaded ? t('mon.noWarnings') : t('app.loading')),
    ),
  );
}

function subject(w: Warning): string {
  if (w.station_id) {
    const s = mon.stations.get(w.station_id);
    return `${s?.name ?? w.station_id} · ${codeName('mon.param', w.parameter)}`;
  }
  if (w.fence_id) return `${w.object_id ?? ''} → ${w.fence_id}`;
  return w.jurisdiction;
}

function row(w: Warning): HTMLElement {
  const fresh = mon.fresh.has(w.id);
  const issuer = can('warning.issue');
  const working = busy.has(w.id);
  const unit = w.station_id ? (mon.stations.get(w.station_id)?.parameters.find((p) => p.code === w.parameter)?.unit ?? '') : '';
  return h(
    'li',
    {
      class: `warning-row lv-${w.level}${fresh ? ' fresh' : ''}`,
      'data-testid': 'warning-row',
      'data-warning-id': w.id,
      'data-level': w.level,
      'data-status': w.status,
      'data-station-id': w.station_id ?? '',
    },
    h(
      'div',
      { class: 'warning-head' },
      h('span', { class: `level-chip lv-${w.level}`, 'data-testid': 'warning-level' }, levelText(w.level)),
      h(
        'a',
        {
          href: '#',
          class: 'warning-title',
          onclick: (e: Event) => {
            e.preventDefault();
            if (w.station_id) onStation(w.station_id, w.parameter ?? '');
          },
        },
        w.title || subject(w),
      ),
      h('span', { class: 'tag', 'data-testid': 'warning-status' }, codeName('mon.wstatus', w.status)),
      w.condition_active ? null : h('span', { class: 'tag ok' }, t('mon.conditionCleared')),
    ),
    h(
      'div',
      { class: 'warning-meta muted' },
      `${subject(w)} · ${w.id} · ${t('mon.raisedAt')} ${showTime(w.raised_at)}`,
      w.limit ? ` · ${fmtValue(w.value)} / ${fmtValue(w.limit)} ${unit}` : '',
    ),
    w.description ? h('div', { class: 'warning-desc' }, w.description) : null,
    h(
      'div',
      { class: 'btn-row' },
      issuer && w.status === 'raised' ? action(w, 'confirm', 'mon.confirm', working) : null,
      issuer && (w.status === 'raised' || w.status === 'confirmed') ? action(w, 'issue', 'mon.issue', working, 'primary') : null,
      issuer ? h('button', { type: 'button', class: 'btn small', disabled: working, 'data-testid': 'warning-update', onclick: () => changeDialog(w, 'update') }, t('mon.changeLevel')) : null,
      issuer ? h('button', { type: 'button', class: 'btn small danger', disabled: working, 'data-testid': 'warning-lift', onclick: () => changeDialog(w, 'lift') }, t('mon.lift')) : null,
      w.incident_id
        ? h(
            'a',
            {
              href: '#ops',
              class: 'btn small ghost',
              'data-testid': 'warning-incident',
              onclick: (e: Event) => {
                e.preventDefault();
                if (!can('incident.read')) return;
                showPage('ops');
                void selectIncident(w.incident_id!);
              },
            },
            t('mon.incident', { id: w.incident_id }),
          )
        : issuer && can('incident.report')
          ? action(w, 'link', 'mon.openIncident', working)
          : null,
    ),
  );
}

function action(w: Warning, what: string, label: 'mon.confirm' | 'mon.issue' | 'mon.openIncident', working: boolean, kind = ''): HTMLElement {
  return h(
    'button',
    { type: 'button', class: `btn small ${kind}`, disabled: working, 'data-testid': `warning-${what}`, onclick: () => void send(w.id, what, {}) },
    t(label),
  );
}

async function send(id: string, what: string, body: Record<string, unknown>): Promise<void> {
  busy.add(id);
  render();
  try {
    warningChanged(await post<Warning>(`/warnings/${encodeURIComponent(id)}/${what}`, body));
    error = '';
  } catch (e) {
    error = `${id}: ${errorText(e)}`;
  } finally {
    busy.delete(id);
    render();
  }
}

/** Change the level (with an optional note) or lift (a note required): a dialog, as it matters. */
function changeDialog(w: Warning, what: 'update' | 'lift'): void {
  const level = h('select', { 'data-testid': 'warning-level-select' }, LEVELS.map((l) => option(l, levelText(l), l === w.level)));
  const note = h('input', { 'data-testid': 'warning-note', placeholder: t('mon.note') });
  const err = h('div', { class: 'form-error', hidden: true, 'data-testid': 'warning-dialog-error' });
  const submit = h('button', { type: 'submit', class: `btn ${what === 'lift' ? 'danger' : 'primary'}`, 'data-testid': 'warning-dialog-submit' }, t(what === 'lift' ? 'mon.lift' : 'mon.changeLevel'));
  const form = h(
    'form',
    { class: 'dialog-form' },
    h('h3', {}, t(what === 'lift' ? 'mon.liftTitle' : 'mon.changeTitle', { id: w.id })),
    what === 'update' ? h('div', { class: 'field' }, h('label', {}, t('mon.level')), level) : null,
    h('div', { class: 'field' }, h('label', {}, t('mon.note')), note),
    err,
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, t('dialog.cancel')), submit),
  );
  const dlg = openDialog('warning-dialog', form);
  note.focus();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = note.value.trim();
    if (what === 'lift' && !text) {
      err.hidden = false;
      err.textContent = t('mon.noteNeeded');
      return;
    }
    submit.disabled = true;
    const body: Record<string, unknown> = what === 'update' ? { level: level.value } : {};
    if (text) body.note = text;
    post<Warning>(`/warnings/${encodeURIComponent(w.id)}/${what}`, body).then(
      (answer) => {
        dlg.close();
        warningChanged(answer);
      },
      (e2: unknown) => {
        submit.disabled = false;
        err.hidden = false;
        err.textContent = errorText(e2);
      },
    );
  });
}
