// Address suggestions for the alarm form: as the call-taker types, GET /api/v1/geocode (debounced,
// the newest answer wins) lists ranked places under the field; arrows move, Enter or a click picks,
// Escape closes. Picking fills the address and hands the place's position to the form. When
// nothing matches the list says so and nothing is filled: the alarm stays unlocated unless a
// position is given another way. Only on a node with a road network (roads.ts).
import { ApiError, get } from './api';
import { h, clear } from './dom';
import { t, type MessageKey } from './i18n';
import { roadsInfo } from './roads';
import type { LonLat } from './types';

export interface Candidate {
  kind: 'street' | 'place' | 'address';
  name: string;
  label: string;
  type: string;
  position: LonLat;
  score: number;
  why: string;
  on_road: boolean;
  distance_m?: number;
}

const DEBOUNCE_MS = 200;
let nextId = 0;

/**
 * Attaches suggestions to `input`. `near` gives a point for ties (the map's centre); `picked` is
 * called with the chosen candidate.
 */
export function attachAddressSuggest(
  input: HTMLInputElement,
  near: () => LonLat | null,
  picked: (c: Candidate) => void,
): { close: () => void } {
  const listId = `address-suggest-${++nextId}`;
  const list = h('ul', { class: 'suggest', id: listId, role: 'listbox', 'data-testid': 'address-suggestions', hidden: true });
  input.insertAdjacentElement('afterend', list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', listId);
  input.setAttribute('aria-expanded', 'false');

  let items: Candidate[] = [];
  let active = -1;
  let timer: number | undefined;
  let seq = 0;

  const close = () => {
    list.hidden = true;
    clear(list);
    items = [];
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };
  const highlight = (i: number) => {
    active = i;
    list.querySelectorAll<HTMLElement>('[role=option]').forEach((li, k) => {
      li.classList.toggle('active', k === i);
      li.setAttribute('aria-selected', String(k === i));
    });
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', `${listId}-${i}`);
      list.querySelector<HTMLElement>(`#${listId}-${i}`)?.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const choose = (i: number) => {
    const c = items[i];
    if (!c) return;
    close();
    input.value = c.label;
    picked(c);
  };
  const note = (key: MessageKey, testid: string) => {
    clear(list);
    list.append(h('li', { class: 'suggest-note', 'data-testid': testid }, t(key)));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'false');
  };
  const render = () => {
    clear(list);
    items.forEach((c, i) => {
      const li = h(
        'li',
        { id: `${listId}-${i}`, role: 'option', 'aria-selected': 'false', 'data-testid': 'address-suggestion', 'data-kind': c.kind },
        h('span', { class: 'suggest-label' }, c.label),
        h(
          'span',
          { class: 'suggest-meta' },
          t(`suggest.${c.kind}` as MessageKey),
          c.on_road ? '' : ` · ${t('suggest.offRoad')}`,
          c.distance_m !== undefined ? ` · ${formatDistance(c.distance_m)}` : '',
        ),
      );
      // mousedown, not click: the input's blur would close the list first.
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        choose(i);
      });
      list.append(li);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(-1);
  };

  const search = async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q || !(await roadsInfo()).loaded) return close();
    const p = near();
    const params = new URLSearchParams({ q, limit: '8' });
    if (p) params.set('near', `${p.lon},${p.lat}`);
    try {
      const answer = await get<{ items: Candidate[] }>(`/geocode?${params}`);
      if (mine !== seq || document.activeElement !== input) return;
      items = answer.items ?? [];
      if (items.length) render();
      else note('suggest.none', 'address-no-match');
    } catch (e) {
      if (mine !== seq) return;
      if (e instanceof ApiError && e.status === 401) return close();
      close(); // address search is a help: the form works without it
    }
  };

  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void search(), DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown' && items.length) {
      e.preventDefault();
      highlight((active + 1) % items.length);
    } else if (e.key === 'ArrowUp' && items.length) {
      e.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault(); // pick, don't submit the form
      choose(active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', () => window.setTimeout(close, 150));
  return { close };
}

function formatDistance(m: number): string {
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`;
}
