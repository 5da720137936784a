// Read-only parts of a report, shared by the editor and the inbox reader: its heading (type, status,
// offices, incident, lateness), a content as a list of elements, the version history (each
// submission with who, when, whether late, its note and the fields it changed) with the receipt and
// returns, and the links to the rendered document.
import { h } from './dom';
import { showTime } from './format';
import { codeName, lang, t } from './i18n';
import { reportTypeName } from './planfmt';
import { leftText, placeName } from './reportboard';
import { CONSEQUENCE_KEYS, TEXT_ELEMENTS, documentUrl, who, type Content, type Report } from './reporttypes';

/** An element's label (time, place … consequences, period, body, consequences.deaths …). */
export function elementName(key: string): string {
  return codeName('rep.el', key);
}

export const statusText = (s: string) => codeName('rep.status', s);

/** A delay in ms as "1:05" (h:mm) or "4:30" (m:ss under an hour). */
export const delayText = (ms: number) => leftText(ms);

/** The types whose content is a period's text (period, body) rather than the incident elements. */
export const isPeriodType = (type: string) => type === 'daily' || type === 'bulletin';

export function reportHead(r: Report): HTMLElement {
  return h(
    'div',
    { class: 'rep-doc-head' },
    h(
      'div',
      { class: 'rep-head' },
      h('strong', { 'data-testid': 'rep-type' }, reportTypeName(r.type)),
      r.number ? h('span', { class: 'tag' }, t('rep.number', { n: r.number })) : null,
      h('span', { class: `tag rep-status st-${r.status}`, 'data-testid': 'rep-status' }, statusText(r.status)),
      r.late ? h('span', { class: 'tag danger', 'data-testid': 'rep-late' }, t('rep.lateBy', { d: delayText(r.delay_ms) })) : null,
      r.channel === 'phone' ? h('span', { class: 'tag warn' }, t('rep.channel.phone')) : null,
      r.exercise ? h('span', { class: 'tag info' }, t('rep.exercise')) : null,
      h('span', { class: 'muted rep-id' }, r.id),
    ),
    h(
      'div',
      { class: 'rep-meta muted' },
      h('span', {}, `${placeName(r.jurisdiction)} → ${placeName(r.to_jurisdiction)}`),
      r.incident_id ? h('span', { 'data-testid': 'rep-incident' }, `${t('rep.incident')} ${r.incident_id}`) : null,
      h('span', {}, t('rep.createdBy', { by: who(r.created_by), at: showTime(r.created_at) })),
    ),
  );
}

function consequencesText(c: Content): string {
  return CONSEQUENCE_KEYS.map((k) => `${elementName(`consequences.${k}`)} ${c.consequences[k] ?? t('rep.notStated')}`).join('，');
}

/** A content as a list of its elements (read-only). */
export function contentList(type: string, c: Content, testid = 'rep-content'): HTMLElement {
  const rows: Array<[string, string]> = [];
  const time = (iso: string) => (iso ? showTime(iso, 'long') : '');
  if (c.title) rows.push(['title', c.title]);
  if (isPeriodType(type)) {
    rows.push(['period', c.period_from || c.period_to ? `${time(c.period_from) || '—'} — ${time(c.period_to) || '—'}` : '']);
    rows.push(['body', c.body]);
    rows.push(['reporting_unit', c.reporting_unit], ['contact', c.contact]);
  } else {
    for (const k of TEXT_ELEMENTS) {
      rows.push([k, k === 'time' ? time(c.time) : c[k]]);
      if (k === 'course') rows.push(['consequences', consequencesText(c)]);
    }
    if (c.body) rows.push(['body', c.body]);
  }
  return h(
    'dl',
    { class: 'rep-content', 'data-testid': testid },
    rows.map(([k, v]) => [h('dt', {}, elementName(k)), h('dd', { 'data-element': k, class: v ? '' : 'muted' }, v || '—')]),
  );
}

/** The version history, newest first, with the receipt and the returns. */
export function versionHistory(r: Report): HTMLElement | null {
  if (!r.versions.length && !r.returns.length) return null;
  const versions = [...r.versions].reverse();
  return h(
    'section',
    { class: 'rep-versions', 'data-testid': 'rep-versions' },
    h('h3', {}, t('rep.versions')),
    r.received ? h('div', { class: 'small ok-text', 'data-testid': 'rep-received' }, t('rep.receivedBy', { by: who(r.received.by), at: showTime(r.received.at) })) : null,
    r.returns.length
      ? h(
          'ul',
          { class: 'rep-returns' },
          r.returns.map((x) => h('li', { class: 'small', 'data-testid': 'rep-return' }, t('rep.returnedBy', { by: who(x.by), at: showTime(x.at), version: x.version }), ': ', h('strong', {}, x.reason))),
        )
      : null,
    h(
      'ol',
      { class: 'rep-version-list' },
      versions.map((v) =>
        h(
          'li',
          { 'data-testid': 'rep-version', 'data-version': v.number },
          h(
            'div',
            {},
            h('strong', {}, t('rep.version', { n: v.number })),
            ` ${showTime(v.submitted_at)} · ${who(v.by)}`,
            v.late ? h('span', { class: 'tag danger' }, t('rep.lateBy', { d: delayText(v.delay_ms) })) : null,
            h('a', { class: 'small doc-link', href: documentUrl(r.id, 'html', v.number), target: '_blank', rel: 'noopener' }, 'HTML'),
          ),
          v.note ? h('div', { class: 'small' }, `${t('rep.note')}: ${v.note}`) : null,
          v.changed.length
            ? h('div', { class: 'small', 'data-testid': 'rep-changed' }, `${t('rep.changed')}: `, v.changed.map((f) => h('span', { class: 'tag', 'data-field': f }, elementName(f))))
            : null,
          h('details', {}, h('summary', { class: 'small muted' }, t('rep.showVersion')), contentList(r.type, v.content, 'rep-version-content')),
        ),
      ),
    ),
  );
}

/** Links to the rendered document (HTML to read, PDF to print or send). */
export function documentLinks(r: Report): HTMLElement {
  return h(
    'span',
    { class: 'rep-doc-links' },
    h('a', { class: 'btn small ghost', href: documentUrl(r.id, 'html'), target: '_blank', rel: 'noopener', 'data-testid': 'rep-doc-html' }, t('rep.docHtml')),
    h('a', { class: 'btn small ghost', href: documentUrl(r.id, 'pdf'), target: '_blank', rel: 'noopener', 'data-testid': 'rep-doc-pdf' }, t('rep.docPdf')),
  );
}

/** The label of a missing element in the current language (the node's name_zh in Chinese). */
export function missingName(m: { element: string; name_zh: string }): string {
  return lang() === 'zh-CN' && m.name_zh ? m.name_zh : elementName(m.element);
}
