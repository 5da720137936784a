// The lists of the alerts page. Outgoing: the alerts this node issues, newest first, with their
// level, state, national identifier and sent time, a link to the public CAP document once
// published, and (warning.issue) Update / Cancel of a published alert and Edit of a draft. Received:
// alerts read from outside feeds or pushed to the node, with their source and state; a quarantined
// one shows the validation report it was refused with. Choosing a row (#alerts/ID) unfolds its
// approval trail and shows its area on the map. Both follow the store live.
import { issueList } from './alertpreview';
import { composeFrom } from './alertcompose';
import { alerts } from './alertstate';
import { publicCapUrl, type Alert } from './alerttypes';
import { h, fill, option } from './dom';
import { showTime } from './format';
import { codeName, onLanguageChange, t } from './i18n';
import { levelText } from './monmap';
import { can } from './session';

type OutFilter = 'all' | 'current' | 'published' | 'ended';
let outEl: HTMLElement;
let inEl: HTMLElement;
let outFilter: OutFilter = 'all';

const OUT_STATES: Record<OutFilter, string[] | null> = {
  all: null,
  current: ['draft', 'pending_approval', 'published'],
  published: ['published'],
  ended: ['superseded', 'cancelled'],
};

export function initLists(outgoing: HTMLElement, incoming: HTMLElement): void {
  outEl = outgoing;
  inEl = incoming;
  const both = () => {
    renderOutgoing();
    renderIncoming();
  };
  alerts.on('alerts', both);
  alerts.on('selection', both);
  onLanguageChange(both);
  both();
}

export function selectAlert(id: string): void {
  location.hash = `#alerts/${encodeURIComponent(id)}`;
}

/** Whether the alert's CAP document is served publicly (/api/v1/cap/alerts/{id}). */
export const isPublic = (a: Alert) =>
  a.direction === 'outgoing' && a.scope === 'Public' && (a.has_document || !!a.xml) && ['published', 'superseded', 'cancelled'].includes(a.state);

function renderOutgoing(): void {
  const states = OUT_STATES[outFilter];
  const all = alerts.list((a) => a.direction === 'outgoing');
  const shown = all.filter((a) => !states || states.includes(a.state));
  const filter = h(
    'select',
    {
      'data-testid': 'outgoing-filter',
      onchange: (e: Event) => {
        outFilter = (e.target as HTMLSelectElement).value as OutFilter;
        renderOutgoing();
      },
    },
    (Object.keys(OUT_STATES) as OutFilter[]).map((f) => option(f, codeName('alert.filter', f), f === outFilter)),
  );
  fill(
    outEl,
    h('div', { class: 'panel-head' }, h('h2', {}, t('alert.outgoing')), h('span', { class: 'count', 'data-testid': 'outgoing-count' }, String(shown.length)), filter),
    alerts.errors.get('alerts') ? h('div', { class: 'form-error' }, alerts.errors.get('alerts')!) : null,
    h(
      'ul',
      { class: 'alert-list', 'data-testid': 'outgoing-list' },
      shown.length ? shown.map(outgoingRow) : h('li', { class: 'empty small' }, alerts.loaded ? t('alert.noOutgoing') : t('app.loading')),
    ),
  );
}

function head(a: Alert): HTMLElement {
  return h(
    'div',
    { class: 'alert-head', tabindex: 0, onclick: () => selectAlert(a.id), onkeydown: (e: Event) => (e as KeyboardEvent).key === 'Enter' && selectAlert(a.id) },
    a.level ? h('span', { class: `level-chip lv-${a.level}`, 'data-testid': 'alert-level' }, levelText(a.level)) : null,
    h('strong', { class: 'alert-title' }, a.content.headline || a.content.event || a.identifier || a.id),
    h('span', { class: `tag state-${a.state}`, 'data-testid': 'alert-state' }, codeName('alert.state', a.state)),
    a.msg_type !== 'Alert' ? h('span', { class: 'tag' }, codeName('alert.msgType', a.msg_type)) : null,
    a.cap_status && a.cap_status !== 'Actual' ? h('span', { class: 'tag warn' }, codeName('alert.capStatus', a.cap_status)) : null,
  );
}

function rowAttrs(a: Alert, testid: string): Record<string, string> {
  const selected = alerts.selected === a.id;
  return {
    class: `alert-row lv-${a.level || 'none'}${selected ? ' selected' : ''}${alerts.fresh.has(a.id) ? ' fresh' : ''}`,
    'data-testid': testid,
    'data-alert-id': a.id,
    'data-state': a.state,
    'data-level': a.level,
    'data-identifier': a.identifier,
  };
}

function outgoingRow(a: Alert): HTMLElement {
  // A published Alert or Update may be followed by an Update or a Cancel; a Cancel ends the chain.
  const followable = can('warning.issue') && a.state === 'published' && a.msg_type !== 'Cancel';
  const issuer = can('warning.issue');
  return h(
    'li',
    rowAttrs(a, 'outgoing-row'),
    head(a),
    h(
      'div',
      { class: 'alert-meta muted' },
      h('span', {}, a.id),
      a.identifier ? h('code', { class: 'identifier', 'data-testid': 'alert-identifier' }, a.identifier) : h('span', {}, t('alert.notYetPublished')),
      a.sent ? h('span', { 'data-testid': 'alert-sent' }, `${t('alert.sent')} ${showTime(a.sent)}`) : null,
      a.warning_id ? h('span', {}, t('alert.aboutWarning', { id: a.warning_id })) : null,
    ),
    h(
      'div',
      { class: 'btn-row' },
      isPublic(a) ? h('a', { class: 'btn small ghost', href: publicCapUrl(a.id), target: '_blank', rel: 'noopener', 'data-testid': 'alert-cap-link' }, t('alert.capDocument')) : null,
      followable ? h('button', { type: 'button', class: 'btn small', 'data-testid': 'alert-update', onclick: () => composeFrom('u', a.id) }, t('alert.update')) : null,
      followable ? h('button', { type: 'button', class: 'btn small danger', 'data-testid': 'alert-cancel', onclick: () => composeFrom('c', a.id) }, t('alert.cancel')) : null,
      issuer && a.state === 'draft' ? h('button', { type: 'button', class: 'btn small', 'data-testid': 'alert-edit', onclick: () => composeFrom('d', a.id) }, t('alert.edit')) : null,
    ),
    alerts.selected === a.id ? trail(a) : null,
  );
}

/** The record's life: each step with who, when, the permission an approval used, the note. */
function trail(a: Alert): HTMLElement {
  return h(
    'div',
    { class: 'alert-trail', 'data-testid': 'alert-trail' },
    a.replaces ? h('div', { class: 'small' }, t('alert.replaces', { id: a.replaces })) : null,
    a.replaced_by ? h('div', { class: 'small' }, t('alert.replacedBy', { id: a.replaced_by })) : null,
    a.references.length ? h('div', { class: 'small' }, `${t('alert.references')}: `, a.references.map((r) => h('code', { class: 'ref' }, r))) : null,
    h(
      'ol',
      { class: 'steps' },
      a.steps.map((s) =>
        h(
          'li',
          { 'data-testid': 'alert-step', 'data-action': s.action },
          h('span', { class: 'step-action' }, codeName('alert.step', s.action)),
          ` ${s.by} · ${showTime(s.at)}`,
          s.permission ? h('span', { class: 'tag' }, s.permission) : null,
          s.note ? h('div', { class: 'muted small' }, s.note) : null,
        ),
      ),
    ),
  );
}

function renderIncoming(): void {
  const list = alerts.list((a) => a.direction === 'incoming');
  const quarantined = list.filter((a) => a.state === 'quarantined').length;
  fill(
    inEl,
    h(
      'div',
      { class: 'panel-head' },
      h('h2', {}, t('alert.incoming')),
      h('span', { class: 'count', 'data-testid': 'incoming-count' }, String(list.length)),
      quarantined ? h('span', { class: 'tag danger', 'data-testid': 'quarantine-count' }, t('alert.quarantinedCount', { n: quarantined })) : null,
    ),
    h('ul', { class: 'alert-list', 'data-testid': 'incoming-list' }, list.length ? list.map(incomingRow) : h('li', { class: 'empty small' }, alerts.loaded ? t('alert.noIncoming') : t('app.loading'))),
  );
}

function incomingRow(a: Alert): HTMLElement {
  return h(
    'li',
    rowAttrs(a, 'received-row'),
    head(a),
    h(
      'div',
      { class: 'alert-meta muted' },
      h('span', {}, a.id),
      a.identifier ? h('code', { class: 'identifier' }, a.identifier) : null,
      a.sender ? h('span', {}, `${t('alert.sender')} ${a.sender}`) : null,
      a.sent ? h('span', {}, `${t('alert.sent')} ${showTime(a.sent)}`) : null,
      h('span', { 'data-testid': 'received-source' }, `${t('alert.source')} ${a.source || '—'}`),
      a.warning_id ? h('span', {}, t('alert.raisedWarning', { id: a.warning_id })) : null,
    ),
    a.state === 'quarantined' ? h('div', { class: 'quarantine' }, h('div', { class: 'small' }, t('alert.quarantineReport')), a.report?.length ? issueList(a.report, 'received-report') : h('div', { class: 'muted small' }, t('alert.noReport'))) : null,
    alerts.selected === a.id ? trail(a) : null,
  );
}
