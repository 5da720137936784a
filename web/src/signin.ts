// The sign-in screen. Shown at start when there is no session, and over the console when the
// session is lost (expired, revoked): the console underneath keeps its state, including what was
// typed into the alarm form. A 429 slow_down shows the wait and holds the button until it is over.
import { ApiError } from './api';
import { h, clear } from './dom';
import { codeName, lang, onLanguageChange, setLang, t } from './i18n';
import { signIn } from './session';
import type { Principal } from './types';

let el: HTMLElement;
let pending: ((p: Principal) => void) | null = null;
let reason: 'start' | 'lost' = 'start';
let errorText = '';
let waitUntil = 0;
let waitTimer: number | undefined;
let busy = false;
const typed = { name: '' };

export function initSignIn(root: HTMLElement): void {
  el = root;
  onLanguageChange(() => {
    if (!el.hidden) render();
  });
}

/** Shows the screen until someone signs in; resolves with who did. */
export function askSignIn(why: 'start' | 'lost'): Promise<Principal> {
  reason = why;
  errorText = '';
  el.hidden = false;
  document.body.classList.add('signed-out');
  render();
  return new Promise((resolve) => (pending = resolve));
}

function waitLeft(): number {
  return Math.max(0, Math.ceil((waitUntil - Date.now()) / 1000));
}

function render(): void {
  // Re-rendering (language, the wait running out) keeps a password already typed.
  const typedPassword = el.querySelector<HTMLInputElement>('[data-testid="signin-password"]')?.value ?? '';
  clear(el);
  const name = h('input', {
    'data-testid': 'signin-name',
    name: 'username',
    autocomplete: 'username',
    value: typed.name,
    required: true,
    oninput: (e: Event) => (typed.name = (e.target as HTMLInputElement).value),
  });
  const password = h('input', { 'data-testid': 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  password.value = typedPassword;
  const left = waitLeft();
  const submit = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'signin-submit', disabled: busy || left > 0 }, t(busy ? 'signin.busy' : 'signin.submit'));
  const form = h(
    'form',
    {
      class: 'signin-box',
      'data-testid': 'signin-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        void submitForm(name.value.trim(), password.value);
      },
    },
    h('div', { class: 'brand' }, h('span', { class: 'logo' }, '◆'), t('app.brand')),
    h('h2', { 'data-testid': 'signin-title' }, t('signin.title')),
    reason === 'lost' ? h('div', { class: 'hint', 'data-testid': 'signin-lost' }, t('signin.lost')) : null,
    h('div', { class: 'field' }, h('label', {}, t('signin.name')), h('div', { class: 'control' }, name)),
    h('div', { class: 'field' }, h('label', {}, t('signin.password')), h('div', { class: 'control' }, password)),
    errorText ? h('div', { class: 'form-error', 'data-testid': 'signin-error', role: 'alert' }, errorText) : null,
    left > 0 ? h('div', { class: 'hint', 'data-testid': 'signin-wait', 'data-seconds': String(left) }, t('signin.wait', { n: left })) : null,
    h(
      'div',
      { class: 'signin-actions' },
      h(
        'button',
        { type: 'button', class: 'btn ghost', 'data-testid': 'lang-switch', onclick: () => setLang(lang() === 'en' ? 'zh-CN' : 'en') },
        t('header.language'),
      ),
      submit,
    ),
  );
  el.append(form);
  (typed.name ? password : name).focus({ preventScroll: true });
}

async function submitForm(name: string, password: string): Promise<void> {
  if (busy || waitLeft() > 0) return;
  if (!name || !password) {
    errorText = t('signin.needBoth');
    render();
    return;
  }
  busy = true;
  errorText = '';
  render();
  try {
    const p = await signIn(name, password);
    busy = false;
    el.hidden = true;
    document.body.classList.remove('signed-out');
    clear(el);
    const done = pending;
    pending = null;
    done?.(p);
    return;
  } catch (e) {
    if (e instanceof ApiError && e.code === 'slow_down') {
      waitUntil = Date.now() + (e.retryAfterS ?? 1) * 1000;
      errorText = t('error.slow_down');
      tick();
    } else if (e instanceof ApiError && e.code === 'sign_in_failed') {
      errorText = t('signin.failed');
    } else if (e instanceof ApiError) {
      errorText = `${codeName('error', e.code)}: ${e.message}`;
    } else errorText = String(e);
  }
  busy = false;
  render();
}

// Counts the wait down, once a second, then gives the button back.
function tick(): void {
  window.clearTimeout(waitTimer);
  if (el.hidden) return;
  const left = waitLeft();
  const w = el.querySelector<HTMLElement>('[data-testid="signin-wait"]');
  if (left === 0 || !w) {
    render();
    if (left === 0) return;
  } else {
    w.textContent = t('signin.wait', { n: left });
    w.dataset.seconds = String(left);
  }
  waitTimer = window.setTimeout(tick, 250);
}
