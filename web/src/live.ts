// What the console does with stream events: refetch the incidents they name (coalesced), flash
// and beep on a new alarm, patch units (units.ts) and move them with the `positions` telemetry;
// monitoring events and `readings` telemetry go to the monitoring page's store (monstate.ts).
import { get, ApiError } from './api';
import { beep } from './beep';
import { loadOpenIncidents } from './loaders';
import { handleMonitoringEvent, handleObjectPosition, handleReading, isMonitoringEvent } from './monstate';
import { handlePlanEvent, isPlanEvent } from './planevents';
import { can } from './session';
import { store } from './state';
import type { IncidentDetail, JournalEvent } from './types';
import { applyPosition, applyUnitEvent, loadUnits } from './units';

const pending = new Set<string>();
const flashAfterFetch = new Set<string>();
let flushTimer: number | undefined;

export function refetchIncident(id: string, flash = false): void {
  pending.add(id);
  if (flash) flashAfterFetch.add(id);
  if (flushTimer === undefined) flushTimer = window.setTimeout(flush, 120);
}

async function flush(): Promise<void> {
  flushTimer = undefined;
  const ids = [...pending];
  pending.clear();
  await Promise.all(ids.map(fetchOne));
  store.emit('incidents');
}

async function fetchOne(id: string): Promise<void> {
  try {
    const inc = await get<IncidentDetail>(`/incidents/${encodeURIComponent(id)}`);
    store.putIncident(inc);
    if (flashAfterFetch.delete(id)) {
      store.flash(id);
      // Clear the highlight when it runs out.
      window.setTimeout(() => store.emit('incidents'), 4100);
    }
    if (store.selectedId === id) store.emit('selection');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) store.incidents.delete(id);
    else if (e instanceof ApiError && e.retryable) window.setTimeout(() => refetchIncident(id), 2000);
  }
}

/** Replaces the open incidents with a fresh list (after the console was signed out a while). */
export async function reloadOpenIncidents(): Promise<void> {
  try {
    const list = await loadOpenIncidents();
    store.incidents = new Map(list.map((i) => [i.id, i]));
    store.emit('incidents');
  } catch {
    /* keep what we have; the stream brings changes */
  }
}

/** Reloads the units (their positions are telemetry: not replayed after a gap in the stream). */
export async function reloadUnits(): Promise<void> {
  if (!can('unit.read')) return;
  try {
    await loadUnits();
  } catch {
    /* keep what we have */
  }
}

export function handleEvent(ev: JournalEvent): void {
  const d = ev.data ?? {};
  const s = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : null);
  const incidentId = s('incident_id');
  const isAlarm = ev.type === 'alarm.received';
  if (incidentId && can('incident.read')) refetchIncident(incidentId, isAlarm);
  for (const k of ['merged_id', 'from_incident_id']) {
    const other = s(k);
    if (other && can('incident.read')) refetchIncident(other);
  }
  if (isAlarm) beep();
  if (/^(unit|station|agency)\./.test(ev.type) && can('unit.read')) applyUnitEvent(ev);
  if (isPlanEvent(ev.type)) handlePlanEvent(ev);
  if (isMonitoringEvent(ev.type)) handleMonitoringEvent(ev);
}

export function handleTelemetry(topic: string, data: Record<string, unknown>): void {
  if (topic === 'positions') {
    if (typeof data.object_id === 'string') handleObjectPosition(data);
    else applyPosition(data);
  }
  if (topic === 'readings') handleReading(data);
}
