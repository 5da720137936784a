// People and API keys (people.manage): list, add, reset a password, disable/enable people; list,
// create and revoke keys. A new key is shown once, with a copy button.
import { ApiError, get, post } from './api';
import { h, clear, option } from './dom';
import { openDialog } from './dialog';
import { codeName, lang, onLanguageChange, t } from './i18n';
import { showTime } from './format';
import { jurisdictionText } from './header';
import { store } from './state';
import type { ApiKeyInfo, Person, RoleGrant, RoleInfo } from './types';

let root: HTMLElement;
let roles: RoleInfo[] = [];
let people: Person[] = [];
let keys: ApiKeyInfo[] = [];
let errorText = '';
let busy = false;
// What is typed into the two "add" forms survives re-renders.
const newPerson = { name: '', display_name: '', agency_id: '', jurisdiction: '', password: '', roles: new Set<string>() };
const newKey = { name: '', role: '', jurisdiction: '' };

export function initPeople(el: HTMLElement): void {
  root = el;
  onLanguageChange(render);
  render();
  void reload();
}

async function reload(): Promise<void> {
  try {
    const [r, p, k] = await Promise.all([
      get<{ roles?: RoleInfo[] }>('/roles'),
      get<{ people?: Person[] }>('/people'),
      get<{ keys?: ApiKeyInfo[] }>('/keys'),
    ]);
    roles = r.roles ?? [];
    people = p.people ?? [];
    keys = k.keys ?? [];
  } catch (e) {
    errorText = message(e);
  }
  render();
}

function message(e: unknown): string {
  return e instanceof ApiError ? `${codeName('error', e.code)}: ${e.message}` : String(e);
}

async function act(fn: () => Promise<unknown>): Promise<boolean> {
  if (busy) return false;
  busy = true;
  errorText = '';
  render();
  let ok = true;
  try {
    await fn();
  } catch (e) {
    errorText = message(e);
    ok = false;
  } finally {
    busy = false;
  }
  await reload();
  return ok;
}

function roleTitle(name: string): string {
  const r = roles.find((x) => x.name === name);
  const title = r ? (lang() === 'en' ? r.title : r.title_zh) : undefined;
  return title || codeName('role', name);
}

function grantText(g: RoleGrant | string): string {
  if (typeof g === 'string') return roleTitle(g);
  const where = g.jurisdiction ? ` @${g.jurisdiction}${g.subordinates ? '+' : ''}` : '';
  return `${roleTitle(g.role)}${where}${g.agency_only ? ` (${t('people.agencyOnly')})` : ''}`;
}

function jurisdictionSelect(value: string, testid: string, onchange: (v: string) => void): HTMLSelectElement {
  const divisions = store.node?.divisions ?? new Map<string, string>();
  const v = value || store.node?.jurisdiction || '';
  return h(
    'select',
    { 'data-testid': testid, onchange: (e: Event) => onchange((e.target as HTMLSelectElement).value) },
    [...divisions.keys()].map((code) => option(code, jurisdictionText(code), code === v)),
  );
}

function render(): void {
  if (!root) return;
  clear(root);
  root.append(
    h(
      'div',
      { class: 'panel admin', 'data-testid': 'people' },
      h('div', { class: 'panel-head' }, h('h2', { 'data-testid': 'people-title' }, t('people.title'))),
      errorText ? h('div', { class: 'form-error', 'data-testid': 'people-error' }, errorText) : null,
      h('div', { class: 'board-body' }, peopleTable(), personForm(), h('h3', {}, t('keys.title')), keysTable(), keyForm()),
    ),
  );
}

function peopleTable(): HTMLElement {
  return h(
    'table',
    { class: 'board', 'data-testid': 'people-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [t('people.name'), t('people.displayName'), t('people.agency'), t('people.jurisdiction'), t('people.roles'), t('people.state'), ''].map((c) => h('th', {}, c)),
      ),
    ),
    h(
      'tbody',
      {},
      people.map((p) =>
        h(
          'tr',
          { 'data-testid': 'person-row', 'data-person-id': p.id, 'data-name': p.name, 'data-disabled': String(!!p.disabled) },
          h('td', {}, h('code', {}, p.name)),
          h('td', {}, p.display_name ?? ''),
          h('td', {}, p.agency_id ?? ''),
          h('td', {}, jurisdictionText(p.jurisdiction)),
          h('td', {}, (p.roles ?? []).map(grantText).join('、')),
          h('td', {}, p.disabled ? h('span', { class: 'tag danger' }, t('people.disabled')) : h('span', { class: 'tag' }, t('people.enabled'))),
          h(
            'td',
            {},
            h(
              'div',
              { class: 'btn-row' },
              h('button', { type: 'button', class: 'btn small', 'data-testid': 'person-reset', disabled: busy, onclick: () => resetPassword(p) }, t('people.resetPassword')),
            h(
              'button',
              {
                type: 'button',
                class: `btn small${p.disabled ? '' : ' danger'}`,
                'data-testid': p.disabled ? 'person-enable' : 'person-disable',
                disabled: busy,
                onclick: () => void act(() => post(`/people/${encodeURIComponent(p.id)}/${p.disabled ? 'enable' : 'disable'}`, {})),
              },
              t(p.disabled ? 'people.enable' : 'people.disable'),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

function personForm(): HTMLElement {
  const text = (key: 'name' | 'display_name' | 'agency_id' | 'password', label: string, type = 'text') =>
    h(
      'label',
      { class: 'filter' },
      h('span', {}, label),
      h('input', {
        'data-testid': `new-person-${key}`,
        type,
        value: newPerson[key],
        autocomplete: type === 'password' ? 'new-password' : 'off',
        oninput: (e: Event) => (newPerson[key] = (e.target as HTMLInputElement).value),
      }),
    );
  return h(
    'form',
    {
      class: 'box admin-form',
      'data-testid': 'new-person',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const jur = newPerson.jurisdiction || store.node?.jurisdiction || '';
        const body = {
          name: newPerson.name.trim(),
          display_name: newPerson.display_name.trim() || newPerson.name.trim(),
          agency_id: newPerson.agency_id.trim() || undefined,
          jurisdiction: jur,
          roles: [...newPerson.roles].map((role) => ({ role, jurisdiction: jur, subordinates: true, agency_only: false })),
          password: newPerson.password,
        };
        void act(() => post('/people', body)).then((ok) => {
          if (!ok) return;
          Object.assign(newPerson, { name: '', display_name: '', agency_id: '', password: '' });
          newPerson.roles.clear();
          render();
        });
      },
    },
    h('h4', {}, t('people.add')),
    h(
      'div',
      { class: 'filters' },
      text('name', t('people.name')),
      text('display_name', t('people.displayName')),
      text('agency_id', t('people.agency')),
      h('label', { class: 'filter' }, h('span', {}, t('people.jurisdiction')), jurisdictionSelect(newPerson.jurisdiction, 'new-person-jurisdiction', (v) => (newPerson.jurisdiction = v))),
      text('password', t('people.password'), 'password'),
    ),
    h(
      'div',
      { class: 'role-checks' },
      roles.map((r) =>
        h(
          'label',
          { class: 'filter' },
          h('input', {
            type: 'checkbox',
            'data-testid': `new-person-role-${r.name}`,
            checked: newPerson.roles.has(r.name),
            onchange: (e: Event) => ((e.target as HTMLInputElement).checked ? newPerson.roles.add(r.name) : newPerson.roles.delete(r.name)),
          }),
          roleTitle(r.name),
        ),
      ),
    ),
    h('button', { type: 'submit', class: 'btn primary small', 'data-testid': 'new-person-submit', disabled: busy }, t('people.addSubmit')),
  );
}

function resetPassword(p: Person): void {
  const pw = h('input', { type: 'password', 'data-testid': 'reset-password', autocomplete: 'new-password' });
  const error = h('div', { class: 'form-error', 'data-testid': 'reset-error', hidden: true });
  const form = h(
    'form',
    {
      class: 'dialog-form',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        try {
          await post(`/people/${encodeURIComponent(p.id)}/password`, { new_password: pw.value });
          dialog.close();
        } catch (err) {
          error.textContent = err instanceof ApiError && err.code === 'weak_password' ? `${t('error.weak_password')}: ${err.message}` : message(err);
          error.hidden = false;
        }
      },
    },
    h('h3', {}, t('people.resetTitle', { name: p.display_name || p.name })),
    h('div', { class: 'field' }, h('label', {}, t('password.new')), h('div', { class: 'control' }, pw)),
    h('div', { class: 'hint muted' }, t('password.rules')),
    error,
    h(
      'div',
      { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, t('dialog.cancel')),
      h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'reset-submit' }, t('people.resetPassword')),
    ),
  );
  const dialog = openDialog('reset-dialog', form);
  pw.focus();
}

function keysTable(): HTMLElement {
  return h(
    'table',
    { class: 'board', 'data-testid': 'keys-table' },
    h(
      'thead',
      {},
      h('tr', {}, ['ID', t('keys.name'), t('keys.role'), t('people.jurisdiction'), t('keys.created'), t('people.state'), ''].map((c) => h('th', {}, c))),
    ),
    h(
      'tbody',
      {},
      keys.map((k) =>
        h(
          'tr',
          { 'data-testid': 'key-row', 'data-key-id': k.id, 'data-revoked': String(!!k.revoked) },
          h('td', {}, h('code', {}, k.id)),
          h('td', {}, k.name ?? ''),
          h('td', {}, k.role ? roleTitle(k.role) : ''),
          h('td', {}, jurisdictionText(k.jurisdiction)),
          h('td', { class: 'time' }, showTime(k.created_at, 'long')),
          h('td', {}, k.revoked ? h('span', { class: 'tag danger' }, t('keys.revoked')) : h('span', { class: 'tag' }, t('keys.active'))),
          h(
            'td',
            {},
            k.revoked
              ? null
              : h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn small danger',
                    'data-testid': 'key-revoke',
                    disabled: busy,
                    onclick: () => {
                      if (window.confirm(t('keys.revokeConfirm', { id: k.id }))) void act(() => post(`/keys/${encodeURIComponent(k.id)}/revoke`, {}));
                    },
                  },
                  t('keys.revoke'),
                ),
          ),
        ),
      ),
    ),
  );
}

function keyForm(): HTMLElement {
  // Keys are for machines: offer a machine role first.
  const role = newKey.role || (roles.find((r) => r.name === 'cad_bridge') ?? roles[0])?.name || '';
  return h(
    'form',
    {
      class: 'box admin-form',
      'data-testid': 'new-key',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const body = { name: newKey.name.trim(), role: newKey.role || role, jurisdiction: newKey.jurisdiction || store.node?.jurisdiction || '' };
        let created: { id?: string; key?: string } = {};
        void act(async () => {
          created = await post<{ id?: string; key?: string }>('/keys', body);
        }).then((ok) => {
          if (!ok) return;
          newKey.name = '';
          render();
          if (created.key) showKeyOnce(created.id ?? '', created.key);
        });
      },
    },
    h('h4', {}, t('keys.add')),
    h(
      'div',
      { class: 'filters' },
      h(
        'label',
        { class: 'filter' },
        h('span', {}, t('keys.name')),
        h('input', { 'data-testid': 'new-key-name', value: newKey.name, autocomplete: 'off', oninput: (e: Event) => (newKey.name = (e.target as HTMLInputElement).value) }),
      ),
      h(
        'label',
        { class: 'filter' },
        h('span', {}, t('keys.role')),
        h(
          'select',
          { 'data-testid': 'new-key-role', onchange: (e: Event) => (newKey.role = (e.target as HTMLSelectElement).value) },
          roles.map((r) => option(r.name, roleTitle(r.name), r.name === role)),
        ),
      ),
      h('label', { class: 'filter' }, h('span', {}, t('people.jurisdiction')), jurisdictionSelect(newKey.jurisdiction, 'new-key-jurisdiction', (v) => (newKey.jurisdiction = v))),
      h('button', { type: 'submit', class: 'btn primary small', 'data-testid': 'new-key-submit', disabled: busy }, t('keys.addSubmit')),
    ),
  );
}

function showKeyOnce(id: string, key: string): void {
  const field = h('input', { class: 'key-text', 'data-testid': 'new-key-value', readonly: true, value: key });
  const copied = h('span', { class: 'tag ok', hidden: true }, t('keys.copied'));
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(key);
    } catch {
      field.select();
      document.execCommand('copy');
    }
    copied.hidden = false;
  };
  const dialog = openDialog(
    'key-dialog',
    h(
      'div',
      { class: 'dialog-form' },
      h('h3', {}, t('keys.createdTitle', { id })),
      h('div', { class: 'form-error', role: 'alert' }, t('keys.onceWarning')),
      h('div', { class: 'control inline' }, field, h('button', { type: 'button', class: 'btn small', 'data-testid': 'new-key-copy', onclick: () => void copy() }, t('keys.copy')), copied),
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn primary', 'data-testid': 'key-dialog-close', onclick: () => dialog.close() }, t('dialog.close'))),
    ),
  );
  field.select();
}
