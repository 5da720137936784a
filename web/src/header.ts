// Header: node jurisdiction, connection state, language switch, mute toggle; and the banner shown
// while the live stream is down.
import { h, clear } from './dom';
import { lang, onLanguageChange, setLang, t } from './i18n';
import { isMuted, setMuted } from './beep';
import { store } from './state';

export function initHeader(el: HTMLElement, banner: HTMLElement): void {
  const render = () => {
    clear(el);
    const muted = isMuted();
    const conn = store.conn;
    el.append(
      h('div', { class: 'brand' }, h('span', { class: 'logo' }, '◆'), t('app.brand')),
      h(
        'div',
        { class: 'node', title: store.node?.jurisdiction ?? '' },
        h('span', { class: 'muted' }, t('header.jurisdiction')),
        h('strong', { 'data-testid': 'node-name' }, store.node?.name ?? '…'),
        h('span', { class: 'code' }, store.node?.jurisdiction ?? ''),
      ),
      h('div', { class: 'spacer' }),
      h(
        'div',
        { class: `conn conn-${conn}`, 'data-testid': 'conn-state', 'data-state': conn },
        h('span', { class: 'dot' }),
        t(conn === 'open' ? 'conn.open' : conn === 'closed' ? 'conn.closed' : 'conn.connecting'),
      ),
      h(
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
      ),
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
    banner.hidden = !(conn === 'closed' || (conn === 'connecting' && store.everConnected));
    document.title = t('app.title');
  };
  store.on('connection', render);
  store.on('node', render);
  onLanguageChange(render);
  render();
}
