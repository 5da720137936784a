// Units in the store: loaded from GET /units, patched from the stream's unit.* events (then the
// unit is refetched, coalesced, for the fields an event does not carry) and moved by the
// `positions` telemetry. A position fix changes only the unit's position and does not emit
// 'units': position listeners get the ids of the units that moved or changed once an animation
// frame (the map redraws only those).
import { ApiError, get } from './api';
import { parsePosition, parseUnit, parseUnits } from './loaders';
import { store } from './state';
import type { JournalEvent, Unit } from './types';

export const UNIT_STATUSES = [
  'available',
  'dispatched',
  'en_route',
  'on_scene',
  'transporting',
  'at_hospital',
  'returning',
  'out_of_service',
];

// docs/API.md, "Units": the changes a status button may ask for. `dispatched` is reached only by
// a dispatch, so it is never offered.
const NEXT: Record<string, string[]> = {
  available: ['out_of_service'],
  dispatched: ['en_route', 'on_scene', 'available', 'out_of_service'],
  en_route: ['on_scene', 'returning', 'available', 'out_of_service'],
  on_scene: ['transporting', 'returning', 'available', 'out_of_service'],
  transporting: ['at_hospital', 'returning', 'available'],
  at_hospital: ['returning', 'available'],
  returning: ['available', 'out_of_service'],
  out_of_service: ['available'],
};
const LEAVING = new Set(['returning', 'available', 'out_of_service']);

// Units moved or changed since the last animation frame (all: every unit, e.g. after a reload).
const moved = new Set<string>();
let all = false;
let frame = 0;
const positionListeners: Array<(ids: ReadonlySet<string> | null) => void> = [];

export function nextUnitStatuses(from: string | undefined): string[] {
  return (from && NEXT[from]) || [];
}

/** Colours of unit statuses, shared by the map's canvas and the status board. */
export const STATUS_COLOR: Record<string, string> = {
  available: '#3fb37f',
  dispatched: '#ff9f1a',
  en_route: '#f5d547',
  on_scene: '#ff4d4f',
  transporting: '#c77dff',
  at_hospital: '#9d7bd8',
  returning: '#5aa9e6',
  out_of_service: '#6b7482',
};
export const statusColor = (s: string | undefined) => (s && STATUS_COLOR[s]) || '#8b95a5';

/**
 * Whether a unit's position is stale: a fix older than the node's stale_after_s (counted from
 * the browser's clock, so a fix that arrived live turns stale without a word from the node), or
 * what the node said for a position that is not a fix (a station).
 */
export function isStale(u: Unit, now = Date.now()): boolean {
  const p = u.position;
  if (!p) return true;
  if (p.source === 'fix' && p.time) {
    const at = Date.parse(p.time);
    if (Number.isFinite(at)) return now - Math.min(now, at) > (store.node?.staleAfterS ?? 120) * 1000;
  }
  return p.stale === true;
}

/** Seconds since an RFC 3339 time (never negative), or null. */
export function ageS(iso: string | null | undefined, now = Date.now()): number | null {
  const at = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(at) ? Math.max(0, Math.round((now - at) / 1000)) : null;
}

/** Replaces the units, stations and agencies with GET /units. */
export async function loadUnits(): Promise<void> {
  const ans = parseUnits(await get<unknown>('/units'));
  store.units = new Map(ans.units.map((u) => [u.id, u]));
  store.stations = new Map(ans.stations.map((s) => [s.id, s]));
  store.agencies = new Map(ans.agencies.map((a) => [a.id, a]));
  store.emit('units');
  movedAll();
}

// --- refetching single units (coalesced) ---

const toFetch = new Set<string>();
let fetchTimer: number | undefined;

export function refetchUnit(id: string): void {
  toFetch.add(id);
  if (fetchTimer === undefined) fetchTimer = window.setTimeout(() => void fetchUnits(), 150);
}

async function fetchUnits(): Promise<void> {
  fetchTimer = undefined;
  const ids = [...toFetch];
  toFetch.clear();
  await Promise.all(
    ids.map(async (id) => {
      try {
        const u = parseUnit(await get<unknown>(`/units/${encodeURIComponent(id)}`));
        if (u) store.units.set(u.id, u);
        moved.add(id);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          store.units.delete(id);
          all = true;
        }
        else if (e instanceof ApiError && e.retryable) window.setTimeout(() => refetchUnit(id), 2000);
      }
    }),
  );
  store.emit('units');
  scheduleMoved();
}

// --- stream events ---

/** Applies a unit.* (station.*, agency.*) event at once (status, incident), then refetches the unit. */
export function applyUnitEvent(ev: JournalEvent): void {
  const d = ev.data ?? {};
  const s = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : null);
  if (ev.type === 'station.registered' || ev.type === 'agency.registered') {
    const { stations, agencies } = parseUnits({ stations: [d.station].filter(Boolean), agencies: [d.agency].filter(Boolean) });
    for (const x of stations) store.stations.set(x.id, x);
    for (const x of agencies) store.agencies.set(x.id, x);
    store.emit('units');
    return;
  }
  if (ev.type === 'unit.registered') {
    const u = parseUnit(d.unit);
    if (u) {
      store.units.set(u.id, u);
      refetchUnit(u.id); // its position (the record has none)
      store.emit('units');
      moved.add(u.id);
      scheduleMoved();
    }
    return;
  }
  const id = s('unit_id');
  if (!id) return;
  const u = store.units.get(id);
  if (u) {
    const at = s('at') ?? ev.time ?? u.status_since;
    switch (ev.type) {
      case 'unit.status_changed':
        if (s('to')) u.status = s('to')!;
        u.status_since = at;
        if ('incident_id' in d) u.incident_id = s('incident_id');
        if (u.status && LEAVING.has(u.status)) u.incident_id = null;
        break;
      case 'unit.dispatched':
        u.status = 'dispatched';
        u.status_since = at;
        u.incident_id = s('incident_id');
        break;
      case 'unit.recalled':
        if (s('to')) u.status = s('to')!;
        u.status_since = at;
        u.incident_id = null;
        break;
      case 'unit.reassigned':
        u.incident_id = s('incident_id');
        break;
    }
    store.emit('units');
    moved.add(id);
    scheduleMoved();
  }
  refetchUnit(id);
}

// --- positions ---


/** fn(ids) once a frame with the units whose position (or drawing) changed; null: all of them. */
export function onPositions(fn: (ids: ReadonlySet<string> | null) => void): void {
  positionListeners.push(fn);
}

function movedAll(): void {
  all = true;
  scheduleMoved();
}

function scheduleMoved(): void {
  if (!frame) frame = window.requestAnimationFrame(flushMoved);
}

function flushMoved(): void {
  frame = 0;
  const ids = all ? null : new Set(moved);
  all = false;
  moved.clear();
  for (const fn of positionListeners) fn(ids);
}

/** A `positions` telemetry frame: {unit_id, jurisdiction, lon, lat, time, speed_kmh, heading_deg}. */
export function applyPosition(data: Record<string, unknown>): void {
  const id = typeof data.unit_id === 'string' ? data.unit_id : typeof data.object_id === 'string' ? data.object_id : null;
  const u = id ? store.units.get(id) : undefined;
  const p = parsePosition({ source: 'fix', ...data });
  if (!u || !p) return;
  p.on_road = u.position?.on_road;
  u.position = p;
  moved.add(u.id);
  scheduleMoved();
}
