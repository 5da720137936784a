// The incident board: open incidents, newest first, filtered by status/category/priority.
import { h, clear, option } from './dom';
import { onLanguageChange, t } from './i18n';
import { categoryName, gradeName, priorityName, showTime, statusName, typeName } from './format';
import { selectIncident } from './selection';
import { store } from './state';
import type { Incident } from './types';

const OPEN_STATUSES = ['reported', 'verified', 'responding', 'contained'];
const filters = { status: '', category: '', priority: '' };

export function initBoard(el: HTMLElement): void {
  const head = h('div', { class: 'panel-head' });
  const filterBar = h('div', { class: 'filters' });
  const body = h('div', { class: 'board-body' });
  el.append(head, filterBar, body);

  const renderFilters = () => {
    clear(filterBar);
    const tax = store.taxonomy;
    const sel = (key: keyof typeof filters, label: string, values: string[], name: (c: string) => string) =>
      h(
        'label',
        { class: 'filter' },
        h('span', {}, label),
        h(
          'select',
          {
            'data-testid': `filter-${key}`,
            onchange: (e: Event) => {
              filters[key] = (e.target as HTMLSelectElement).value;
              renderRows();
            },
          },
          option('', t('board.all'), filters[key] === ''),
          values.map((v) => option(v, name(v), filters[key] === v)),
        ),
      );
    filterBar.append(
      sel('status', t('board.filterStatus'), OPEN_STATUSES, statusName),
      sel('category', t('board.filterCategory'), tax?.categories ?? [], categoryName),
      sel('priority', t('board.filterPriority'), tax?.priorities ?? ['P1', 'P2', 'P3', 'P4'], priorityName),
    );
  };

  const renderRows = () => {
    const all = store.openIncidents();
    const rows = all.filter(
      (i) =>
        (!filters.status || i.status === filters.status) &&
        (!filters.category || i.category === filters.category) &&
        (!filters.priority || i.priority === filters.priority),
    );
    clear(head);
    head.append(
      h('h2', { 'data-testid': 'board-title' }, t('board.title')),
      h('span', { class: 'count', 'data-testid': 'board-count' }, t('board.count', { n: rows.length })),
    );
    clear(body);
    if (!rows.length) {
      body.append(h('div', { class: 'empty', 'data-testid': 'board-empty' }, t('board.empty')));
      return;
    }
    body.append(
      h(
        'table',
        { class: 'board', 'data-testid': 'incident-board' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, t('board.colPriority')),
            h('th', {}, t('board.colGrade')),
            h('th', {}, t('board.colType')),
            h('th', {}, t('board.colStatus')),
            h('th', {}, t('board.colTitle')),
            h('th', { class: 'num' }, t('board.colAlarms')),
            h('th', {}, t('board.colTime')),
          ),
        ),
        h('tbody', {}, rows.map(row)),
      ),
    );
  };

  store.on('incidents', renderRows);
  store.on('selection', renderRows);
  store.on('node', () => {
    renderFilters();
    renderRows();
  });
  onLanguageChange(() => {
    renderFilters();
    renderRows();
  });
  renderFilters();
  renderRows();
}

function gradeCell(i: Incident): HTMLElement {
  const g = i.grade;
  if (g?.confirmed)
    return h('td', { class: 'grade confirmed', title: gradeName(g.confirmed), 'data-testid': 'row-grade' }, g.confirmed);
  if (g?.proposed)
    return h(
      'td',
      { class: 'grade proposed', title: `${t('grade.proposedShort')}: ${gradeName(g.proposed)}`, 'data-testid': 'row-grade' },
      `${g.proposed}?`,
    );
  return h('td', { class: 'grade', 'data-testid': 'row-grade' }, t('grade.none'));
}

function row(i: Incident): HTMLElement {
  const cls = ['inc-row', `prio-${(i.priority ?? '').toLowerCase()}`];
  if (store.isFlashing(i.id)) cls.push('flash');
  if (store.selectedId === i.id) cls.push('selected');
  return h(
    'tr',
    {
      class: cls.join(' '),
      'data-testid': 'incident-row',
      'data-incident-id': i.id,
      onclick: () => void selectIncident(i.id),
    },
    h('td', {}, h('span', { class: `prio prio-${(i.priority ?? '').toLowerCase()}`, title: priorityName(i.priority) }, i.priority ?? '—')),
    gradeCell(i),
    h('td', { 'data-testid': 'row-type' }, typeName(i.type)),
    h('td', {}, h('span', { class: `status status-${i.status}`, 'data-testid': 'row-status' }, statusName(i.status))),
    h(
      'td',
      { class: 'title' },
      h('div', { class: 'title-main' }, i.title ?? i.id),
      h(
        'div',
        { class: 'sub' },
        i.id,
        i.address ? ` · ${i.address}` : '',
        i.located === false || !i.location ? h('span', { class: 'tag warn' }, t('board.unlocated')) : null,
      ),
    ),
    h('td', { class: 'num', 'data-testid': 'row-alarms' }, String(i.alarm_count ?? i.alarm_ids?.length ?? 0)),
    h('td', { class: 'time' }, showTime(i.opened_at)),
  );
}
