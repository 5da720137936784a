// Changing one's own password: POST /api/v1/session/password. A weak new password (400
// weak_password) or a wrong current one (401 sign_in_failed) is said in the dialog.
import { ApiError } from './api';
import { h } from './dom';
import { openDialog } from './dialog';
import { codeName, t } from './i18n';
import { changePassword } from './session';

export function openPasswordDialog(): void {
  const input = (testid: string, autocomplete: string) =>
    h('input', { type: 'password', 'data-testid': testid, autocomplete, required: true });
  const currentPw = input('pw-current', 'current-password');
  const next = input('pw-new', 'new-password');
  const again = input('pw-again', 'new-password');
  const error = h('div', { class: 'form-error', 'data-testid': 'pw-error', role: 'alert', hidden: true });
  const done = h('div', { class: 'tag ok', 'data-testid': 'pw-done', hidden: true }, t('password.done'));
  const submit = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'pw-submit' }, t('password.submit'));
  const field = (label: string, control: HTMLElement) =>
    h('div', { class: 'field' }, h('label', {}, label), h('div', { class: 'control' }, control));
  const fail = (text: string) => {
    error.textContent = text;
    error.hidden = false;
  };
  const form = h(
    'form',
    {
      class: 'dialog-form',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.hidden = true;
        if (!currentPw.value || !next.value) return fail(t('password.needAll'));
        if (next.value !== again.value) return fail(t('password.mismatch'));
        submit.disabled = true;
        try {
          await changePassword(currentPw.value, next.value);
          for (const x of [currentPw, next, again]) x.value = '';
          done.hidden = false;
          submit.hidden = true;
        } catch (err) {
          if (err instanceof ApiError && err.code === 'weak_password') fail(`${t('error.weak_password')}: ${err.message}`);
          else if (err instanceof ApiError && err.code === 'sign_in_failed') fail(t('password.wrongCurrent'));
          else if (err instanceof ApiError) fail(`${codeName('error', err.code)}: ${err.message}`);
          else fail(String(err));
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h3', {}, t('password.title')),
    field(t('password.current'), currentPw),
    field(t('password.new'), next),
    field(t('password.again'), again),
    h('div', { class: 'hint muted' }, t('password.rules')),
    error,
    done,
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', 'data-testid': 'pw-close', onclick: () => dialog.close() }, t('dialog.close')), submit),
  );
  const dialog = openDialog('password-dialog', form);
  currentPw.focus();
}
