// Open incidents without a location, listed beside the map (they have no marker).
import { h, clear } from './dom';
import { onLanguageChange, t } from './i18n';
import { priorityName, typeName } from './format';
import { selectIncident } from './selection';
import { store } from './state';

export function initUnlocated(el: HTMLElement): void {
  const render = () => {
    const list = store.openIncidents().filter((i) => !i.location || i.located === false);
    clear(el);
    el.append(
      h('div', { class: 'sub-head' }, t('map.unlocatedTitle'), h('span', { class: 'count' }, String(list.length))),
      list.length
        ? h(
            'ul',
            { class: 'unlocated', 'data-testid': 'unlocated-list' },
            list.map((i) =>
              h(
                'li',
                {
                  class: store.isFlashing(i.id) ? 'flash' : '',
                  'data-testid': 'unlocated-item',
                  'data-incident-id': i.id,
                  onclick: () => void selectIncident(i.id),
                },
                h('span', { class: `prio prio-${(i.priority ?? '').toLowerCase()}`, title: priorityName(i.priority) }, i.priority ?? ''),
                ` ${typeName(i.type)} · ${i.address ?? i.title ?? i.id}`,
              ),
            ),
          )
        : h('div', { class: 'empty small' }, t('map.unlocatedEmpty')),
    );
  };
  store.on('incidents', render);
  onLanguageChange(render);
  render();
}
