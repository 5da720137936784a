// The activation dialogs of the task board (plan.activate): activate a plan by hand at a level
// (POST /incidents/{id}/activations {plan_id, level, reason}), change an activation's level
// (POST /activations/{id}/level) and stand it down (POST /activations/{id}/stand-down). Each needs
// a reason; the node's refusal is shown in the dialog, which stays open.
import { get, post } from './api';
import { openDialog } from './dialog';
import { h, option, fill } from './dom';
import { t, type MessageKey } from './i18n';
import { errorText, levelName, LEVELS } from './planfmt';
import type { Activation, PlanSummary } from './plantypes';

interface Spec {
  testid: string;
  title: string;
  fields: HTMLElement[];
  submit: MessageKey;
  danger?: boolean;
  send(reason: string): Promise<unknown>;
}

function reasonDialog(spec: Spec, done: () => void): void {
  const reason = h('input', { 'data-testid': 'activation-reason', placeholder: t('activation.reason') });
  const err = h('div', { class: 'form-error', hidden: true, 'data-testid': 'activation-dialog-error' });
  const submit = h('button', { type: 'submit', class: `btn ${spec.danger ? 'danger' : 'primary'}`, 'data-testid': 'activation-confirm' }, t(spec.submit));
  const form = h(
    'form',
    { class: 'dialog-form' },
    h('h3', {}, spec.title),
    spec.fields,
    h('div', { class: 'field' }, h('label', {}, t('activation.reason')), reason),
    err,
    h(
      'div',
      { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, t('dialog.cancel')),
      submit,
    ),
  );
  const dlg = openDialog(spec.testid, form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = reason.value.trim();
    if (!text) {
      err.hidden = false;
      err.textContent = t('activation.reasonNeeded');
      return;
    }
    submit.disabled = true;
    spec.send(text).then(
      () => {
        dlg.close();
        done();
      },
      (e2: unknown) => {
        submit.disabled = false;
        err.hidden = false;
        err.textContent = errorText(e2);
      },
    );
  });
  reason.focus();
}

function field(label: MessageKey, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', {}, t(label)), h('div', { class: 'control' }, control));
}

/** Activate a plan in force on the incident, at a level it defines. */
export async function activateByHand(incidentId: string, done: () => void): Promise<void> {
  let plans: PlanSummary[] = [];
  try {
    plans = ((await get<{ plans?: PlanSummary[] }>('/plans')).plans ?? []).filter((p) => p.effective_version);
  } catch {
    /* the dialog says there is none */
  }
  const levelSel = h('select', { 'data-testid': 'activate-level' });
  const planSel = h(
    'select',
    { 'data-testid': 'activate-plan', onchange: () => fillLevels() },
    plans.map((p) => option(p.id, `${p.title} (${p.id} v${p.effective_version})`)),
  );
  const fillLevels = () => {
    const p = plans.find((x) => x.id === planSel.value);
    fill(levelSel, ...(p?.levels ?? []).map((l) => option(l, levelName(l))));
  };
  fillLevels();
  reasonDialog(
    {
      testid: 'activate-dialog',
      title: t('activation.activateTitle', { id: incidentId }),
      fields: plans.length
        ? [field('activation.plan', planSel), field('activation.level', levelSel)]
        : [h('div', { class: 'notice' }, t('activation.noPlans'))],
      submit: 'activation.activate',
      send: (reason) =>
        post(`/incidents/${encodeURIComponent(incidentId)}/activations`, { plan_id: planSel.value, level: levelSel.value, reason }),
    },
    done,
  );
}

/** Change the level of an active activation (the plan's levels when known, else I–IV). */
export function changeLevel(a: Activation, levels: string[] | undefined, done: () => void): void {
  const choices = (levels?.length ? levels : LEVELS).filter((l) => l !== a.level);
  const levelSel = h('select', { 'data-testid': 'change-level-select' }, choices.map((l) => option(l, levelName(l))));
  reasonDialog(
    {
      testid: 'change-level-dialog',
      title: t('activation.changeTitle', { plan: a.plan_title ?? a.plan_id, level: levelName(a.level) }),
      fields: [field('activation.level', levelSel)],
      submit: 'activation.changeLevel',
      send: (reason) => post(`/activations/${encodeURIComponent(a.id)}/level`, { level: levelSel.value, reason }),
    },
    done,
  );
}

export function standDown(a: Activation, done: () => void): void {
  reasonDialog(
    {
      testid: 'stand-down-dialog',
      title: t('activation.standDownTitle', { plan: a.plan_title ?? a.plan_id }),
      fields: [h('div', { class: 'notice' }, t('activation.standDownNote'))],
      submit: 'activation.standDown',
      danger: true,
      send: (reason) => post(`/activations/${encodeURIComponent(a.id)}/stand-down`, { reason }),
    },
    done,
  );
}
