// The reports page's picture of the node: the reports the person may see (GET /reports) and the
// active obligations to report (GET /report-obligations, whose `now` sets the node clock the
// countdowns read). Loaded when the page first shows (`loadReports`), then kept current by the
// stream's `reports` topic: report.* events carry the whole report, report.obligation_* the whole
// obligation; a record replaces the one held unless that one is newer (an action's answer may come
// before its event). Events that arrive while the first load is under way are applied after it.
import { ApiError, get } from './api';
import { setNodeNow } from './nodeclock';
import { coalesce } from './planevents';
import { isActive, idSeq, normContent, rememberPeople, versionCount, type Obligation, type Report } from './reporttypes';
import { can, current } from './session';
import type { JournalEvent } from './types';

export type ReportTopic = 'reports' | 'obligations' | 'selection';

class ReportStore {
  loaded = false;
  loading = false;
  reports = new Map<string, Report>();
  obligations = new Map<string, Obligation>(); // active ones
  /** Reports that arrived or changed live after the load, until when (ms) they are highlighted. */
  fresh = new Map<string, number>();
  errors = new Map<ReportTopic, string>();
  /** The report the hash names (#reports/ID): open in the editor or the reader. */
  selected = '';
  /** The receiving jurisdiction whose inbox is shown (the person's own by default). */
  inboxOf = '';
  private listeners = new Map<ReportTopic, Array<() => void>>();

  on(topic: ReportTopic, fn: () => void): void {
    const l = this.listeners.get(topic) ?? [];
    l.push(fn);
    this.listeners.set(topic, l);
  }

  emit(topic: ReportTopic): void {
    for (const fn of this.listeners.get(topic) ?? []) fn();
  }

  /** Reports matching `pick`, the newest first. */
  list(pick: (r: Report) => boolean): Report[] {
    return [...this.reports.values()].filter(pick).sort((a, b) => idSeq(b.id) - idSeq(a.id));
  }

  /** Active obligations, the soonest deadline first. */
  activeObligations(): Obligation[] {
    return [...this.obligations.values()].sort((a, b) => Date.parse(a.due_at) - Date.parse(b.due_at) || a.id.localeCompare(b.id));
  }
}

export const reports = new ReportStore();

/** The jurisdictions the person acts for: their own, then those of their role grants. */
export function myJurisdictions(): string[] {
  const me = current();
  const out: string[] = [];
  if (me?.jurisdiction) out.push(me.jurisdiction);
  for (const r of me?.roles ?? []) if (r.jurisdiction && !out.includes(r.jurisdiction)) out.push(r.jurisdiction);
  return out;
}

const failure = (e: unknown) => (e instanceof ApiError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));

function normReport(r: Report): Report {
  rememberPeople(r);
  r.content = normContent(r.content);
  r.missing = Array.isArray(r.missing) ? r.missing : [];
  r.partial = !Array.isArray(r.versions);
  r.versions = Array.isArray(r.versions) ? r.versions.map((v) => ({ ...v, content: normContent(v.content), changed: v.changed ?? [] })) : [];
  r.returns = Array.isArray(r.returns) ? r.returns : [];
  r.obligation_ids = r.obligation_ids ?? [];
  return r;
}

/** Keeps `r` unless the record held is newer, or the same and whole where `r` is from a list. */
export function putReport(raw: Report): boolean {
  const r = normReport(raw);
  const old = reports.reports.get(r.id);
  if (old) {
    const [o, n] = [Date.parse(old.updated_at), Date.parse(r.updated_at)];
    if (o > n || versionCount(old) > versionCount(r)) return false;
    if (o === n && r.partial && !old.partial) {
      if (r.may_review !== undefined) old.may_review = r.may_review;
      return false;
    }
    // An event's record says nothing of the person's rights: keep what the node said before.
    if (r.may_review === undefined) r.may_review = old.may_review;
  }
  reports.reports.set(r.id, r);
  return true;
}

/** A report changed by this console (an action's answer): shown at once, before its event. */
export function reportChanged(r: Report): void {
  if (putReport(r)) reports.emit('reports');
}

export function putObligation(o: Obligation): void {
  if (isActive(o)) reports.obligations.set(o.id, o);
  else reports.obligations.delete(o.id);
}

async function loadList(): Promise<void> {
  try {
    const b = await get<{ reports: Report[] }>('/reports?limit=1000');
    reports.reports = new Map();
    for (const r of b.reports) putReport(r);
    reports.errors.delete('reports');
  } catch (e) {
    reports.errors.set('reports', failure(e));
  }
}

/** The active obligations and the node's clock; also every half minute (the clock drifts). */
export async function loadObligations(): Promise<void> {
  try {
    const b = await get<{ obligations: Obligation[]; now?: string }>('/report-obligations?status=active');
    setNodeNow(b.now);
    reports.obligations = new Map();
    for (const o of b.obligations) putObligation(o);
    reports.errors.delete('obligations');
  } catch (e) {
    reports.errors.set('obligations', failure(e));
  }
}

const early: JournalEvent[] = [];

export async function loadReports(): Promise<void> {
  if (!can('report.read')) return;
  reports.loading = true;
  await Promise.all([loadList(), loadObligations()]);
  reports.loading = false;
  reports.loaded = true;
  for (const ev of early.splice(0)) apply(ev, false);
  reports.emit('reports');
  reports.emit('obligations');
}

/** The events this store follows. */
export const isReportEvent = (type: string): boolean => type.startsWith('report.');

export function handleReportEvent(ev: JournalEvent): void {
  if (reports.loading) {
    early.push(ev);
    return;
  }
  if (!reports.loaded) return; // the load that follows sees its effect
  apply(ev, true);
}

const emitReports = coalesce(() => reports.emit('reports'), 50);
const emitObligations = coalesce(() => reports.emit('obligations'), 50);

function apply(ev: JournalEvent, live: boolean): void {
  const d = ev.data ?? {};
  // A live event is stamped with the node's clock: the countdowns follow a clock that jumped (a
  // test clock) without waiting for the next list.
  if (live && ev.time) setNodeNow(ev.time);
  if (ev.type.startsWith('report.obligation_')) {
    const o = d.obligation as Obligation | undefined;
    if (!o || typeof o.id !== 'string' || typeof o.due_at !== 'string') return;
    putObligation(o);
    if (live) emitObligations();
    return;
  }
  const r = d.report as Report | undefined;
  if (!r || typeof r.id !== 'string' || typeof r.status !== 'string') return;
  if (putReport(r) && live) {
    reports.fresh.set(r.id, Date.now() + 8000);
    emitReports();
  }
}
