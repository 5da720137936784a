// A plan's versions with their life-cycle steps (who, when, note) and the buttons for the steps
// allowed next (src/plans/lifecycle.h), each shown only to those whose permissions allow it:
// submit and return to draft need plan.edit; review, approve, file and retire plan.approve as well
// (route POST /plans/{id}/versions/{n}/status). Review and approval are a second person's: the
// author sees why the button is not there. Returning to draft needs a reason.
import { h } from './dom';
import { t, type MessageKey } from './i18n';
import { showTime } from './format';
import { versionStatusName } from './planfmt';
import type { PlanVersion } from './plantypes';
import { can, current } from './session';

interface Step {
  to: string;
  label: MessageKey;
  approve: boolean; // needs plan.approve too
  second: boolean; // not by the version's author
  reason: boolean; // needs a note
}

const step = (to: string, label: MessageKey, approve = true, second = false, reason = false): Step => ({ to, label, approve, second, reason });

const NEXT: Record<string, Step[]> = {
  draft: [step('submitted', 'lifecycle.submit', false)],
  submitted: [step('reviewed', 'lifecycle.review', true, true), step('draft', 'lifecycle.return', false, false, true)],
  reviewed: [step('approved', 'lifecycle.approve', true, true), step('draft', 'lifecycle.return', false, false, true)],
  approved: [step('filed', 'lifecycle.file'), step('retired', 'lifecycle.retire')],
  filed: [step('retired', 'lifecycle.retire')],
  under_revision: [step('filed', 'lifecycle.abandon'), step('retired', 'lifecycle.retire')],
};

export interface VersionActions {
  busy: boolean;
  /** What is typed in each version's note, and its complaint: kept by the caller across re-renders. */
  notes: Map<number, string>;
  errors: Map<number, string>;
  change(v: PlanVersion, to: string, note: string): void;
  show(v: PlanVersion): void;
  shown: number;
}

/** The steps the signed-in person may take on the version now. */
function allowed(v: PlanVersion): { steps: Step[]; authorOnly: boolean } {
  if (!can('plan.edit')) return { steps: [], authorOnly: false };
  const me = current()?.id;
  let authorOnly = false;
  const steps = (NEXT[v.status] ?? []).filter((s) => {
    if (s.approve && !can('plan.approve')) return false;
    if (s.second && me && v.author === me) {
      authorOnly = true;
      return false;
    }
    return true;
  });
  return { steps, authorOnly };
}

export function renderVersions(versions: PlanVersion[], act: VersionActions): HTMLElement {
  return h(
    'ol',
    { class: 'versions', 'data-testid': 'plan-versions', reversed: true },
    [...versions].reverse().map((v) => versionItem(v, act)),
  );
}

function versionItem(v: PlanVersion, act: VersionActions): HTMLElement {
  const { steps, authorOnly } = allowed(v);
  const note = h('input', {
    class: 'note-input',
    'data-testid': 'lifecycle-note',
    placeholder: t('lifecycle.note'),
    value: act.notes.get(v.number) ?? '',
    oninput: () => act.notes.set(v.number, note.value),
  });
  const complaint = act.errors.get(v.number) ?? '';
  const error = h('div', { class: 'form-error', hidden: !complaint, 'data-testid': 'lifecycle-error' }, complaint);
  return h(
    'li',
    {
      class: `version${v.number === act.shown ? ' shown' : ''}`,
      'data-testid': 'plan-version',
      'data-version': String(v.number),
      'data-status': v.status,
    },
    h(
      'div',
      { class: 'version-head' },
      h('strong', {}, `v${v.number}`),
      h('span', { class: `pstatus pstatus-${v.status}`, 'data-testid': 'version-status' }, versionStatusName(v.status)),
      h('span', { class: 'muted' }, t('lifecycle.savedBy', { by: v.author, at: showTime(v.saved_at, 'long') })),
      v.number !== act.shown
        ? h('button', { type: 'button', class: 'btn small ghost', 'data-testid': 'version-show', onclick: () => act.show(v) }, t('lifecycle.show'))
        : h('span', { class: 'tag info' }, t('lifecycle.showing')),
    ),
    h(
      'ol',
      { class: 'steps' },
      v.steps.map((s) =>
        h(
          'li',
          { 'data-testid': 'version-step', 'data-status': s.status },
          h('span', { class: 'time' }, showTime(s.at, 'long')),
          ' ',
          h('strong', {}, versionStatusName(s.status)),
          ' ',
          h('span', { class: 'muted' }, s.by),
          s.note ? h('span', { class: 'reason' }, ` — ${s.note}`) : null,
        ),
      ),
    ),
    steps.length
      ? h(
          'div',
          { class: 'btn-row' },
          steps.map((s) =>
            h(
              'button',
              {
                type: 'button',
                class: `btn small${s.to === 'approved' ? ' primary' : s.to === 'retired' || s.to === 'draft' ? ' danger' : ''}`,
                'data-testid': `lifecycle-${s.to}`,
                disabled: act.busy,
                onclick: () => {
                  if (s.reason && !note.value.trim()) {
                    act.errors.set(v.number, t('lifecycle.reasonNeeded'));
                    error.textContent = t('lifecycle.reasonNeeded');
                    error.hidden = false;
                    return;
                  }
                  act.errors.delete(v.number);
                  act.change(v, s.to, note.value.trim());
                },
              },
              t(s.label),
            ),
          ),
          note,
        )
      : null,
    authorOnly ? h('div', { class: 'hint', 'data-testid': 'lifecycle-second-person' }, t('lifecycle.secondPerson')) : null,
    error,
  );
}
