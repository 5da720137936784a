// Header: node jurisdiction, the pages the person may see, who is signed in (name, roles,
// jurisdiction) with password change and sign-out, connection state, language and mute; and the
// banner shown while the live stream is down.
import { h, fill } from './dom';
import { codeName, lang, onLanguageChange, setLang, t } from './i18n';
import { isMuted, setMuted } from './beep';
import { currentPage, onPageChange, visiblePages } from './pages';
import { openPasswordDialog } from './password';
import { can, current, signOut } from './session';
import { store } from './state';

/** A jurisdiction code with its name when the node knows it. */
export function jurisdictionText(code: string | null | undefined): string {
  if (!code) return '—';
  const name = store.node?.divisions.get(code);
  return name && name !== code ? `${name} (${code})` : code;
}

export function initHeader(el: HTMLElement, banner: HTMLElement): void {
  // The stream runs for the live pages.
  const live = can('incident.read') || can('unit.read') || can('monitoring.read') || can('warning.read');
  const render = () => {
    const muted = isMuted();
    const conn = store.conn;
    const me = current();
    const pages = visiblePages();
    fill(
      el,
      h('div', { class: 'brand' }, h('span', { class: 'logo' }, '◆'), t('app.brand')),
      h(
        'div',
        { class: 'node', title: store.node?.jurisdiction ?? '' },
        h('span', { class: 'muted' }, t('header.jurisdiction')),
        h('strong', { 'data-testid': 'node-name' }, store.node?.name ?? '…'),
        h('span', { class: 'code' }, store.node?.jurisdiction ?? ''),
      ),
      pages.length > 1
        ? h(
            'nav',
            { class: 'pages', 'data-testid': 'page-nav' },
            pages.map((p) =>
              h('a', { href: `#${p.id}`, class: `page-link${currentPage() === p.id ? ' active' : ''}`, 'data-testid': `nav-${p.id}` }, t(p.label)),
            ),
          )
        : null,
      h('div', { class: 'spacer' }),
      live
        ? h(
            'div',
            { class: `conn conn-${conn}`, 'data-testid': 'conn-state', 'data-state': conn },
            h('span', { class: 'dot' }),
            t(conn === 'open' ? 'conn.open' : conn === 'closed' ? 'conn.closed' : 'conn.connecting'),
          )
        : null,
      me
        ? h(
            'div',
            { class: 'who', 'data-testid': 'who', 'data-person-id': me.id, title: me.name },
            h('strong', { 'data-testid': 'who-name' }, me.display_name || me.name),
            h('span', { class: 'roles', 'data-testid': 'who-roles' }, [...new Set(me.roles.map((r) => codeName('role', r.role)))].join('、')),
            h('span', { class: 'code', 'data-testid': 'who-jurisdiction' }, jurisdictionText(me.jurisdiction)),
            h('button', { type: 'button', class: 'btn ghost small', 'data-testid': 'change-password', onclick: openPasswordDialog }, t('header.changePassword')),
            h(
              'button',
              {
                type: 'button',
                class: 'btn ghost small',
                'data-testid': 'sign-out',
                onclick: () =>
                  void signOut()
                    .catch(() => undefined)
                    .then(() => location.reload()),
              },
              t('header.signOut'),
            ),
          )
        : null,
      live
        ? h(
            'button',
            {
              type: 'button',
              class: `btn ghost${muted ? ' on' : ''}`,
              'data-testid': 'mute-toggle',
              'aria-pressed': String(muted),
              title: t('header.muteTitle'),
              onclick: () => {
                setMuted(!isMuted());
                render();
              },
            },
            muted ? `🔇 ${t('header.unmute')}` : `🔔 ${t('header.mute')}`,
          )
        : null,
      h(
        'button',
        {
          type: 'button',
          class: 'btn ghost',
          'data-testid': 'lang-switch',
          title: t('header.languageTitle'),
          onclick: () => setLang(lang() === 'en' ? 'zh-CN' : 'en'),
        },
        t('header.language'),
      ),
    );
    banner.textContent = t('conn.banner');
    banner.hidden = !live || !(conn === 'closed' || (conn === 'connecting' && store.everConnected));
    document.title = t('app.title');
  };
  store.on('connection', render);
  store.on('node', render);
  onPageChange(render);
  onLanguageChange(render);
  render();
}
