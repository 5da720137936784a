// The alerts page's picture of the node: CAP alerts issued and received (GET /alerts) and the open
// warnings an alert may be composed from (GET /warnings). Loaded when the page first shows
// (`loadAlerts`), then kept current by the stream: every `alert.*` event carries the whole record,
// which replaces the one held unless that one is newer (an action's answer may arrive before its
// event); `warning.raised` carries the warning, other `warning.*` steps refetch it (lifted ones
// leave). Events that arrive while the first load is under way are kept and applied after it, so
// none falls between the load and the stream.
import { ApiError, get } from './api';
import type { Alert } from './alerttypes';
import type { Warning } from './montypes';
import { coalesce } from './planevents';
import { can } from './session';
import type { JournalEvent } from './types';

export type AlertTopic = 'alerts' | 'warnings' | 'selection';

class AlertStore {
  loaded = false;
  loading = false;
  alerts = new Map<string, Alert>();
  warnings = new Map<string, Warning>(); // open ones
  /** Ids of alerts that changed live after the load, until when (ms) they are highlighted. */
  fresh = new Map<string, number>();
  errors = new Map<AlertTopic, string>();
  /** The alert the hash names (#alerts/ID): expanded in its list and shown on the map. */
  selected = '';
  private listeners = new Map<AlertTopic, Array<() => void>>();

  on(topic: AlertTopic, fn: () => void): void {
    const l = this.listeners.get(topic) ?? [];
    l.push(fn);
    this.listeners.set(topic, l);
  }

  emit(topic: AlertTopic): void {
    for (const fn of this.listeners.get(topic) ?? []) fn();
  }

  /** Alerts matching `pick`, the newest first (by the sequence of their ids). */
  list(pick: (a: Alert) => boolean): Alert[] {
    return [...this.alerts.values()].filter(pick).sort((a, b) => idSeq(b.id) - idSeq(a.id));
  }

  /** Open warnings, the gravest first, then the newest. */
  openWarnings(): Warning[] {
    const rank: Record<string, number> = { red: 4, orange: 3, yellow: 2, blue: 1 };
    return [...this.warnings.values()].sort(
      (a, b) => (rank[b.level] ?? 0) - (rank[a.level] ?? 0) || Date.parse(b.raised_at) - Date.parse(a.raised_at) || b.id.localeCompare(a.id),
    );
  }
}

function idSeq(id: string): number {
  const n = Number(id.slice(id.lastIndexOf('-') + 1));
  return Number.isFinite(n) ? n : 0;
}

export const alerts = new AlertStore();

const failure = (e: unknown) => (e instanceof ApiError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));

/** Keeps `a` unless the record held is newer (its answer came before the event, or the reverse). */
export function putAlert(a: Alert): boolean {
  const old = alerts.alerts.get(a.id);
  if (old && (Date.parse(old.updated_at) > Date.parse(a.updated_at) || old.steps.length > a.steps.length)) return false;
  // A list entry has no document: keep the one an event or a GET brought, if it is the same record.
  if (a.xml === undefined && old?.xml !== undefined && old.updated_at === a.updated_at) a.xml = old.xml;
  alerts.alerts.set(a.id, a);
  return true;
}

/** An alert changed by this console (an action's answer): shown at once, before its event. */
export function alertChanged(a: Alert): void {
  if (putAlert(a)) alerts.emit('alerts');
}

async function loadList(): Promise<void> {
  try {
    const b = await get<{ alerts: Alert[] }>('/alerts?limit=2000');
    alerts.alerts = new Map();
    for (const a of b.alerts) putAlert(a);
    alerts.errors.delete('alerts');
  } catch (e) {
    alerts.errors.set('alerts', failure(e));
  }
}

async function loadWarnings(): Promise<void> {
  try {
    const b = await get<{ warnings: Warning[] }>('/warnings');
    alerts.warnings = new Map(b.warnings.filter((w) => w.status !== 'lifted').map((w) => [w.id, w]));
    alerts.errors.delete('warnings');
  } catch (e) {
    alerts.errors.set('warnings', failure(e));
  }
}

const early: JournalEvent[] = [];

/** Alerts and open warnings, then the events that came meanwhile. */
export async function loadAlerts(): Promise<void> {
  if (!can('warning.read')) return;
  alerts.loading = true;
  await Promise.all([loadList(), loadWarnings()]);
  alerts.loading = false;
  alerts.loaded = true;
  for (const ev of early.splice(0)) apply(ev, false);
  alerts.emit('alerts');
  alerts.emit('warnings');
}

/** The events this store follows (the stream resumes from its seq, so none is missed). */
export const isAlertEvent = (type: string): boolean => /^(alert|warning)\./.test(type);

export function handleAlertEvent(ev: JournalEvent): void {
  if (alerts.loading) {
    early.push(ev);
    return;
  }
  if (!alerts.loaded) return; // the load that follows sees its effect
  apply(ev, true);
}

const emitAlerts = coalesce(() => alerts.emit('alerts'), 50);

function apply(ev: JournalEvent, live: boolean): void {
  const d = ev.data ?? {};
  if (ev.type.startsWith('alert.')) {
    const a = d.alert as Alert | undefined;
    if (!a || typeof a.id !== 'string' || typeof a.state !== 'string' || !Array.isArray(a.steps)) return;
    if (putAlert(a)) {
      if (live) alerts.fresh.set(a.id, Date.now() + 8000);
      if (live) emitAlerts();
    }
  } else if (ev.type === 'warning.raised') {
    const w = d.warning as Warning | undefined;
    if (w && typeof w.id === 'string') {
      putWarning(w);
      if (live) alerts.emit('warnings');
    }
  } else if (ev.type.startsWith('warning.')) {
    const id = typeof d.warning_id === 'string' ? d.warning_id : '';
    if (id) {
      warningsToFetch.add(id);
      fetchWarnings();
    }
  }
}

function putWarning(w: Warning): void {
  if (w.status === 'lifted') alerts.warnings.delete(w.id);
  else alerts.warnings.set(w.id, w);
}

const warningsToFetch = new Set<string>();

const fetchWarnings = coalesce(() => {
  const ids = [...warningsToFetch];
  warningsToFetch.clear();
  void Promise.all(
    ids.map(async (id) => {
      try {
        putWarning(await get<Warning>(`/warnings/${encodeURIComponent(id)}`));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) alerts.warnings.delete(id);
      }
    }),
  ).then(() => alerts.emit('warnings'));
}, 100);
