// Incident detail: fields, alarms (nuisance, split, place on map; callers masked, revealed on
// request to those who may), timeline, and the actions (status, priority, merge, grade
// confirmation). Only the actions the person's permissions allow are shown. The units part
// (dispatch panel, assignments, intervals) is dispatch.ts's, in its own element between the
// actions and the grading, which this module's re-renders leave alone (what is typed there and its
// focus survive live updates); so is the plan part (activations and the task board, tasks.ts).
import { ApiError, get, post } from './api';
import { h, fill, option } from './dom';
import { codeName, onLanguageChange, t, type MessageKey } from './i18n';
import {
  categoryName,
  channelName,
  gradeName,
  lonLatText,
  priorityName,
  showTime,
  statusName,
  typeName,
} from './format';
import { initDispatch } from './dispatch';
import { initTasks } from './tasks';
import { endPick, startPick, zoomTo } from './map';
import { clearSelection, reloadSelected, selectIncident } from './selection';
import { showTab } from './side';
import { can } from './session';
import { store } from './state';
import type { Alarm, Caller, IncidentDetail } from './types';

const LIFECYCLE = ['reported', 'verified', 'responding', 'contained', 'closed'];
const NUISANCE = ['malicious', 'silent', 'misdialled'];
const FIGURES = ['deaths', 'serious_injuries', 'injuries', 'missing', 'affected', 'direct_loss_yuan'];

/** Statuses an incident in `from` may move to: any later life-cycle step, or cancelled. */
export function nextStatuses(from: string): string[] {
  const i = LIFECYCLE.indexOf(from);
  if (i < 0 || from === 'closed') return [];
  return [...LIFECYCLE.slice(i + 1), 'cancelled'];
}

// What the dispatcher is typing survives re-renders caused by live updates.
const draft = { id: '', statusReason: '', grade: '', gradeReason: '', mergeFrom: '', nuisance: new Map<string, string>() };
// Callers revealed (GET /alarms/{id}?reveal=personal) for the incident shown; forgotten when another is.
const revealed = new Map<string, Caller>();
let errorText = '';
let busy = false;

interface Parts {
  empty: HTMLElement;
  wrap: HTMLElement;
  top: HTMLElement;
  bottom: HTMLElement;
}

export function initDetail(el: HTMLElement): void {
  const parts: Parts = {
    empty: h('div', { class: 'empty' }),
    wrap: h('div', { class: 'detail', 'data-testid': 'incident-detail' }),
    top: h('div'),
    bottom: h('div'),
  };
  const units = h('div', { class: 'detail-units' });
  const tasks = h('div', { class: 'detail-tasks' });
  parts.wrap.append(parts.top, units, tasks, parts.bottom);
  el.append(parts.empty, parts.wrap);
  initDispatch(units);
  initTasks(tasks);
  const render = () => renderDetail(parts);
  store.on('selection', render);
  onLanguageChange(render);
  render();
}

async function act(fn: () => Promise<unknown>): Promise<void> {
  if (busy) return;
  busy = true;
  errorText = '';
  store.emit('selection');
  try {
    await fn();
  } catch (e) {
    errorText = e instanceof ApiError ? `${codeName('error', e.code)}: ${e.message}` : String(e);
  } finally {
    busy = false;
  }
  await reloadSelected();
  store.emit('selection');
}

function renderDetail({ empty, wrap, top, bottom }: Parts): void {
  const id = store.selectedId;
  const inc = store.detail;
  const ready = !!id && !!inc && inc.id === id;
  empty.hidden = ready;
  wrap.hidden = !ready;
  if (!id) {
    empty.textContent = t('detail.none');
    empty.dataset.testid = 'detail-empty';
  } else if (!ready) {
    empty.textContent = t('app.loading');
    delete empty.dataset.testid;
  }
  if (!ready || !id || !inc) return;
  if (draft.id !== id) {
    draft.id = id;
    draft.statusReason = '';
    draft.grade = '';
    draft.gradeReason = '';
    draft.mergeFrom = '';
    draft.nuisance.clear();
    revealed.clear();
    errorText = '';
  }
  const enc = encodeURIComponent(id);
  wrap.dataset.incidentId = id;
  wrap.dataset.status = inc.status;
  fill(
    top,
    h(
      'div',
      { class: 'detail-head' },
      h('span', { class: `prio prio-${(inc.priority ?? '').toLowerCase()}` }, inc.priority ?? ''),
      h('h3', { 'data-testid': 'detail-title' }, inc.title ?? id),
      h('button', { type: 'button', class: 'btn small ghost', 'data-testid': 'detail-close', onclick: () => clearSelection() }, t('detail.close')),
    ),
    errorText ? h('div', { class: 'form-error', 'data-testid': 'detail-error' }, errorText) : null,
    fields(inc),
    can('incident.manage') ? actions(inc, enc) : null,
  );
  fill(bottom, grading(inc, enc), alarms(inc), timeline(inc));
}

function dl(rows: Array<[MessageKey, Node | string]>): HTMLElement {
  return h('dl', { class: 'fields' }, rows.map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]));
}

function fields(inc: IncidentDetail): HTMLElement {
  const figs = FIGURES.filter((f) => (inc.figures as Record<string, number> | undefined)?.[f] !== undefined)
    .map((f) => `${t(`fig.${f}` as MessageKey)} ${(inc.figures as Record<string, number>)[f]}`)
    .join(' · ');
  const loc = inc.location && inc.located !== false;
  return dl([
    ['detail.id', h('code', {}, inc.id)],
    ['detail.status', h('span', { class: `status status-${inc.status}`, 'data-testid': 'detail-status' }, statusName(inc.status))],
    ['detail.type', h('span', { 'data-testid': 'detail-type' }, `${typeName(inc.type)} (${categoryName(inc.category)})`)],
    ['detail.priority', h('span', { 'data-testid': 'detail-priority' }, priorityName(inc.priority))],
    ['detail.jurisdiction', inc.jurisdiction ?? '—'],
    ['detail.address', inc.address ?? '—'],
    [
      'detail.location',
      loc
        ? h('a', { href: '#', 'data-testid': 'detail-location', title: t('detail.showOnMap'), onclick: (e: Event) => (e.preventDefault(), zoomTo(inc.location!)) }, lonLatText(inc.location))
        : h('span', { class: 'tag warn' }, t('detail.notLocated')),
    ],
    ['detail.description', inc.description ?? '—'],
    ['detail.figures', figs || '—'],
    ['detail.openedAt', showTime(inc.opened_at, 'long')],
    ['detail.updatedAt', showTime(inc.updated_at, 'long')],
    ...(inc.closed_at ? ([['detail.closedAt', showTime(inc.closed_at, 'long')]] as Array<[MessageKey, string]>) : []),
    ...(inc.merged_into
      ? ([['detail.mergedInto', h('a', { href: '#', onclick: (e: Event) => (e.preventDefault(), void selectIncident(inc.merged_into!)) }, inc.merged_into)]] as Array<
          [MessageKey, Node]
        >)
      : []),
  ]);
}

function actions(inc: IncidentDetail, enc: string): HTMLElement {
  const next = nextStatuses(inc.status);
  const reason = h('input', {
    'data-testid': 'status-reason',
    placeholder: t('detail.statusReason'),
    value: draft.statusReason,
    oninput: (e: Event) => (draft.statusReason = (e.target as HTMLInputElement).value),
  });
  const prio = h(
    'select',
    { 'data-testid': 'priority-select' },
    (store.taxonomy?.priorities ?? ['P1', 'P2', 'P3', 'P4']).map((p) => option(p, priorityName(p), p === inc.priority)),
  );
  return h(
    'section',
    { class: 'box' },
    h('h4', {}, t('detail.actions')),
    next.length
      ? h(
          'div',
          { class: 'status-actions' },
          h('span', { class: 'muted' }, t('detail.changeStatus')),
          h(
            'div',
            { class: 'btn-row' },
            next.map((s) =>
              h(
                'button',
                {
                  type: 'button',
                  class: `btn small${s === 'cancelled' ? ' danger' : ''}`,
                  'data-testid': `status-to-${s}`,
                  disabled: busy,
                  onclick: () =>
                    void act(() =>
                      post(`/incidents/${enc}/status`, draft.statusReason.trim() ? { status: s, reason: draft.statusReason.trim() } : { status: s }).then(
                        () => (draft.statusReason = ''),
                      ),
                    ),
                },
                statusName(s),
              ),
            ),
          ),
          reason,
        )
      : h('div', { class: 'muted' }, t('detail.final')),
    next.length ? merge(inc, enc) : null,
    next.length
      ? h(
          'div',
          { class: 'inline' },
          h('span', { class: 'muted' }, t('detail.setPriority')),
          prio,
          h(
            'button',
            {
              type: 'button',
              class: 'btn small',
              'data-testid': 'priority-apply',
              disabled: busy,
              onclick: () => void act(() => post(`/incidents/${enc}/priority`, { priority: prio.value })),
            },
            t('detail.apply'),
          ),
        )
      : null,
  );
}

// Another open incident's alarms join this one; the other is cancelled with merged_into.
function merge(inc: IncidentDetail, enc: string): HTMLElement | null {
  const others = store.openIncidents().filter((x) => x.id !== inc.id);
  if (!others.length) return null;
  if (!others.some((x) => x.id === draft.mergeFrom)) draft.mergeFrom = '';
  const sel = h(
    'select',
    { 'data-testid': 'merge-select', onchange: (e: Event) => (draft.mergeFrom = (e.target as HTMLSelectElement).value) },
    option('', t('detail.mergeChoose'), draft.mergeFrom === ''),
    others.map((x) => option(x.id, `${x.id} · ${typeName(x.type)} · ${x.address ?? x.title ?? ''}`, x.id === draft.mergeFrom)),
  );
  return h(
    'div',
    { class: 'inline', 'data-testid': 'merge' },
    h('span', { class: 'muted' }, t('detail.merge')),
    sel,
    h(
      'button',
      {
        type: 'button',
        class: 'btn small',
        'data-testid': 'merge-apply',
        disabled: busy,
        onclick: () => {
          const from = draft.mergeFrom;
          if (!from) return;
          void act(() => post(`/incidents/${enc}/merge`, { from }).then(() => (draft.mergeFrom = '')));
        },
      },
      t('detail.mergeApply'),
    ),
  );
}

function grading(inc: IncidentDetail, enc: string): HTMLElement {
  const g = inc.grade ?? {};
  const proposed = g.proposed ?? null;
  const proposal = [...(g.history ?? [])].reverse().find((x) => x.kind === 'proposed');
  const grades = store.taxonomy?.grades ?? ['I', 'II', 'III', 'IV'];
  const chosen = draft.grade || g.confirmed || proposed || grades[grades.length - 1];
  const needReason = proposed !== null && chosen !== proposed;
  const reasonInput = h('input', {
    'data-testid': 'grade-reason',
    placeholder: t('detail.gradeReason'),
    value: draft.gradeReason,
    oninput: (e: Event) => (draft.gradeReason = (e.target as HTMLInputElement).value),
  });
  const sel = h(
    'select',
    {
      'data-testid': 'grade-select',
      onchange: (e: Event) => {
        draft.grade = (e.target as HTMLSelectElement).value;
        store.emit('selection');
      },
    },
    grades.map((x) => option(x, gradeName(x), x === chosen)),
  );
  const open = nextStatuses(inc.status).length > 0 && can('incident.grade.confirm');
  return h(
    'section',
    { class: 'box' },
    h('h4', {}, t('detail.gradeTitle')),
    dl([
      ['detail.proposedGrade', h('span', { 'data-testid': 'grade-proposed', 'data-grade': proposed ?? '' }, proposed ? gradeName(proposed) : '—')],
      ['detail.proposedReason', h('span', { class: 'reason', 'data-testid': 'grade-proposed-reason' }, proposal?.reason ?? '—')],
      [
        'detail.confirmedGrade',
        h('span', { 'data-testid': 'grade-confirmed', 'data-grade': g.confirmed ?? '' }, g.confirmed ? gradeName(g.confirmed) : t('detail.notConfirmed')),
      ],
    ]),
    open
      ? h(
          'div',
          { class: 'inline' },
          sel,
          needReason ? reasonInput : null,
          h(
            'button',
            {
              type: 'button',
              class: 'btn small primary',
              'data-testid': 'grade-confirm',
              disabled: busy,
              onclick: () => {
                if (needReason && !draft.gradeReason.trim()) {
                  errorText = t('detail.gradeReasonNeeded');
                  store.emit('selection');
                  return;
                }
                const body: Record<string, string> = { grade: chosen };
                if (draft.gradeReason.trim() && needReason) body.reason = draft.gradeReason.trim();
                void act(() =>
                  post(`/incidents/${enc}/grade`, body).then(() => {
                    draft.grade = '';
                    draft.gradeReason = '';
                  }),
                );
              },
            },
            t('detail.confirmGrade'),
          ),
          needReason ? h('div', { class: 'hint' }, t('detail.gradeReasonNeeded')) : null,
        )
      : null,
  );
}

function alarmNuisance(a: Alarm): string | null {
  if (a.nuisance) return a.nuisance;
  if (a.status === 'nuisance') return 'unknown';
  return null;
}

function alarms(inc: IncidentDetail): HTMLElement {
  const list = inc.alarms ?? [];
  const active = list.filter((a) => !alarmNuisance(a));
  const open = nextStatuses(inc.status).length > 0 && can('alarm.manage');
  return h(
    'section',
    { class: 'box' },
    h('h4', {}, `${t('detail.alarms')} (${list.length})`),
    h(
      'ul',
      { class: 'alarms', 'data-testid': 'detail-alarms' },
      list.map((a) => {
        const nuis = alarmNuisance(a);
        const enc = encodeURIComponent(a.id);
        const reasonSel = h(
          'select',
          {
            'data-testid': 'nuisance-reason',
            onchange: (e: Event) => draft.nuisance.set(a.id, (e.target as HTMLSelectElement).value),
          },
          NUISANCE.map((r) => option(r, codeName('nuisance', r), (draft.nuisance.get(a.id) ?? 'malicious') === r)),
        );
        const unlocated = !a.location || a.located === false;
        return h(
          'li',
          { class: nuis ? 'alarm nuisance' : 'alarm', 'data-testid': 'detail-alarm', 'data-alarm-id': a.id },
          h(
            'div',
            { class: 'alarm-head' },
            h('code', {}, a.id),
            ' ',
            h('span', { class: 'tag' }, channelName(a.channel)),
            ' ',
            h('span', { class: 'time' }, showTime(a.reported_at)),
            unlocated ? h('span', { class: 'tag warn' }, t('detail.notLocated')) : null,
            nuis ? h('span', { class: 'tag danger' }, t('detail.alarmNuisance', { reason: codeName('nuisance', nuis) })) : null,
          ),
          caller(a),
          h('div', { class: 'alarm-body' }, [typeName(a.type), a.address, a.description].filter(Boolean).join(' · ')),
          !nuis && open
            ? h(
                'div',
                { class: 'btn-row' },
                unlocated
                  ? h(
                      'button',
                      {
                        type: 'button',
                        class: 'btn small primary',
                        'data-testid': 'alarm-place',
                        onclick: () =>
                          startPick(t('map.locateHint', { id: a.id }), (p) =>
                            void act(() => post(`/alarms/${enc}/locate`, { location: p })),
                          ),
                      },
                      t('detail.placeOnMap'),
                    )
                  : null,
                active.length > 1
                  ? h(
                      'button',
                      {
                        type: 'button',
                        class: 'btn small',
                        'data-testid': 'alarm-split',
                        onclick: () =>
                          void act(async () => {
                            const r = await post<{ incident_id?: string }>(`/alarms/${enc}/split`, {});
                            if (r?.incident_id) void selectIncident(r.incident_id);
                          }),
                      },
                      t('detail.split'),
                    )
                  : null,
                reasonSel,
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn small danger',
                    'data-testid': 'alarm-nuisance',
                    onclick: () =>
                      void act(() => {
                        endPick();
                        return post(`/alarms/${enc}/nuisance`, { reason: draft.nuisance.get(a.id) ?? 'malicious' });
                      }),
                  },
                  t('detail.nuisance'),
                ),
              )
            : null,
        );
      }),
    ),
  );
}

// The caller, masked as the node sends it; "reveal" for those with personal.read (the node
// records every reveal in the audit trail, and the button says so).
function caller(a: Alarm): HTMLElement | null {
  const c = revealed.get(a.id) ?? a.caller;
  if (!c || (!c.name && !c.number)) return null;
  const masked = c.masked === true;
  return h(
    'div',
    { class: 'alarm-caller', 'data-testid': 'alarm-caller', 'data-masked': String(masked) },
    h('span', { class: 'muted' }, `${t('detail.caller')}: `),
    h('span', { 'data-testid': 'caller-name' }, c.name ?? ''),
    ' ',
    h('span', { 'data-testid': 'caller-number' }, c.number ?? ''),
    masked && can('personal.read')
      ? [
          ' ',
          h(
            'button',
            {
              type: 'button',
              class: 'btn small ghost',
              'data-testid': 'alarm-reveal',
              disabled: busy,
              onclick: () =>
                void act(async () => {
                  const r = await get<Alarm & { alarm?: Alarm }>(`/alarms/${encodeURIComponent(a.id)}?reveal=personal`);
                  const got = r.caller ?? r.alarm?.caller;
                  if (got) revealed.set(a.id, got);
                }),
            },
            t('detail.reveal'),
          ),
          h('span', { class: 'reveal-note', 'data-testid': 'reveal-note' }, t('detail.revealRecorded')),
        ]
      : null,
  );
}

function timeline(inc: IncidentDetail): HTMLElement {
  const items = [...(inc.timeline ?? [])].sort((a, b) => b.seq - a.seq);
  return h(
    'section',
    { class: 'box' },
    h('h4', {}, t('detail.timeline')),
    h(
      'ol',
      { class: 'timeline', 'data-testid': 'detail-timeline' },
      items.map((e) =>
        h(
          'li',
          { 'data-seq': String(e.seq) },
          h('span', { class: 'time' }, showTime(e.time)),
          h('span', { class: 'ev' }, codeName('event', e.type)),
          e.by ? h('span', { class: 'by' }, e.by) : null,
          e.summary ? h('div', { class: 'summary' }, e.summary) : null,
        ),
      ),
    ),
  );
}

export function showDetailTab(): void {
  showTab('detail');
}
