// The units sent to the incident shown (its `assignments`, with each unit's live status from the
// store), recall with a reason (for `unit.dispatch`), and the incident's response intervals
// (GET /incidents/{id}/intervals, fetched again when an assignment's times change). Re-rendered
// only when what it shows changed.
import { ApiError, get, post } from './api';
import { h, clear } from './dom';
import { openDialog } from './dialog';
import { codeName, t, type MessageKey } from './i18n';
import { clockTime, durationText, unitStatusName, unitTypeName } from './format';
import { reloadSelected } from './selection';
import { can } from './session';
import { store } from './state';
import { statusColor } from './units';
import type { Assignment, IncidentDetail, IncidentIntervals } from './types';

const FIGURES: Array<[keyof IncidentIntervals, MessageKey]> = [
  ['call_processing_s', 'intervals.callProcessing'],
  ['turnout_first_s', 'intervals.turnoutFirst'],
  ['travel_first_s', 'intervals.travelFirst'],
  ['travel_first_engine_s', 'intervals.travelFirstEngine'],
  ['total_s', 'intervals.total'],
];

let shownKey = '';
let intervals: { key: string; value: IncidentIntervals | null; error: string } = { key: '', value: null, error: '' };
let errorText = '';

export function renderAssignments(el: HTMLElement, force: boolean): void {
  const inc = store.detail && store.detail.id === store.selectedId ? store.detail : null;
  const list = inc?.assignments ?? [];
  const timesKey = inc ? `${inc.id}|${JSON.stringify(list.map((a) => [a.unit_id, a.dispatched_at, a.en_route_at, a.on_scene_at, a.cleared_at, a.ended]))}` : '';
  const key = `${timesKey}|${list.map((a) => store.units.get(a.unit_id)?.status ?? '').join(',')}|${intervals.key}|${errorText}`;
  if (!force && key === shownKey) return;
  shownKey = key;
  clear(el);
  if (!inc || !list.length) return;
  if (intervals.key !== timesKey) void fetchIntervals(el, inc.id, timesKey);
  const active = list.filter((a) => !a.ended).length;
  el.append(
    h(
      'section',
      { class: 'box', 'data-testid': 'assignments' },
      h('h4', {}, t('assign.title', { n: active, all: list.length })),
      errorText ? h('div', { class: 'form-error', 'data-testid': 'assign-error' }, errorText) : null,
      h('table', { class: 'assignments' }, h('tbody', {}, list.map((a) => row(el, inc, a)))),
      intervalsView(),
    ),
  );
}

function row(el: HTMLElement, inc: IncidentDetail, a: Assignment): HTMLElement {
  const unit = store.units.get(a.unit_id);
  const status = a.ended ? '' : unit?.status ?? '';
  const time = (label: MessageKey, iso: string | null | undefined) =>
    h('div', { class: iso ? '' : 'muted' }, `${t(label)} ${clockTime(iso)}`);
  return h(
    'tr',
    { 'data-testid': 'assignment', 'data-unit-id': a.unit_id, 'data-status': status, 'data-ended': a.ended ?? '', class: a.ended ? 'ended' : '' },
    h(
      'td',
      {},
      h('div', { class: 'callsign' }, a.call_sign ?? unit?.call_sign ?? a.unit_id),
      h(
        'div',
        { class: 'sub' },
        unitTypeName(a.unit_type ?? unit?.type),
        a.recommended ? h('span', { class: 'tag', title: t('assign.recommendedHint') }, t('assign.recommended')) : null,
        a.mutual_aid_rule ? h('span', { class: 'tag info' }, t('dispatch.mutualAid', { rule: a.mutual_aid_rule })) : null,
      ),
    ),
    h(
      'td',
      {},
      a.ended
        ? h('span', { class: 'muted', 'data-testid': 'assignment-ended' }, codeName('assignEnded', a.ended))
        : h('span', { class: 'ustatus', style: `--c:${statusColor(status)}`, 'data-testid': 'assignment-status' }, unitStatusName(status)),
      h('div', { class: 'sub' }, typeof a.eta_s === 'number' ? t('assign.etaWas', { t: durationText(a.eta_s) }) : ''),
    ),
    h(
      'td',
      { class: 'times' },
      time('assign.dispatched', a.dispatched_at),
      time('assign.enRoute', a.en_route_at),
      time('assign.onScene', a.on_scene_at),
      a.cleared_at ? time('assign.cleared', a.cleared_at) : null,
    ),
    h(
      'td',
      {},
      !a.ended && can('unit.dispatch')
        ? h('button', { type: 'button', class: 'btn small danger', 'data-testid': 'assignment-recall', onclick: () => recall(el, inc, a) }, t('assign.recall'))
        : null,
    ),
  );
}

function recall(el: HTMLElement, inc: IncidentDetail, a: Assignment): void {
  const reason = h('input', { 'data-testid': 'recall-reason', placeholder: t('assign.recallReason') });
  const err = h('div', { class: 'form-error', hidden: true });
  const name = a.call_sign ?? a.unit_id;
  const form = h(
    'form',
    { class: 'dialog-form' },
    h('h3', {}, t('assign.recallTitle', { unit: name, incident: inc.id })),
    h('div', { class: 'field' }, h('label', {}, t('assign.recallReason')), reason),
    err,
    h(
      'div',
      { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, t('dialog.cancel')),
      h('button', { type: 'submit', class: 'btn danger', 'data-testid': 'recall-confirm' }, t('assign.recall')),
    ),
  );
  const dlg = openDialog('recall-dialog', form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = reason.value.trim();
    if (!text) {
      err.hidden = false;
      err.textContent = t('assign.recallReasonNeeded');
      return;
    }
    void (async () => {
      try {
        await post(`/units/${encodeURIComponent(a.unit_id)}/recall`, { reason: text });
        errorText = '';
        dlg.close();
      } catch (e2) {
        err.hidden = false;
        err.textContent = e2 instanceof ApiError ? `${codeName('error', e2.code)}: ${e2.message}` : String(e2);
        return;
      }
      await reloadSelected();
      renderAssignments(el, true);
    })();
  });
  reason.focus();
}

async function fetchIntervals(el: HTMLElement, id: string, key: string): Promise<void> {
  intervals = { key, value: intervals.value?.incident_id === id ? intervals.value : null, error: '' };
  try {
    const v = await get<IncidentIntervals>(`/incidents/${encodeURIComponent(id)}/intervals`);
    if (intervals.key === key) intervals = { key, value: v, error: '' };
  } catch (e) {
    if (intervals.key === key) intervals = { key, value: null, error: e instanceof ApiError ? e.message : String(e) };
  }
  renderAssignments(el, true);
}

function intervalsView(): HTMLElement | null {
  const v = intervals.value;
  if (!v) return intervals.error ? h('div', { class: 'muted' }, intervals.error) : null;
  const targets = v.targets ?? {};
  return h(
    'dl',
    { class: 'fields intervals', 'data-testid': 'intervals' },
    FIGURES.map(([k, label]) => {
      const value = v[k] as number | null | undefined;
      const target = typeof targets[k] === 'number' ? (targets[k] as number) : null;
      const over = typeof value === 'number' && target !== null && value > target;
      return [
        h('dt', {}, t(label)),
        h(
          'dd',
          { 'data-testid': `interval-${k}`, class: over ? 'over' : '' },
          typeof value === 'number' ? durationText(value) : t('intervals.notYet'),
          target !== null ? h('span', { class: 'muted' }, ` ${t('intervals.target', { t: durationText(target) })}`) : null,
        ),
      ];
    }),
  );
}
