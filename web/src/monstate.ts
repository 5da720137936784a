// The monitoring page's picture of the node: monitoring stations (with their newest values),
// open warnings, the river network, tracked objects and fences. Loaded when the page first shows
// (`loadMonitoring`), then kept current by the stream (live.ts hands over the events and the
// telemetry): a station is refetched after a detector event (its level and conditions change), a
// warning is taken from `warning.raised` or refetched after any other step; readings update the
// newest values and go to whoever listens (the chart); objects move with their fixes. Events that
// arrive before the page loaded are ignored: the load that follows sees their effect.
import { ApiError, get } from './api';
import { coalesce } from './planevents';
import { can } from './session';
import type { Fence, LiveReading, MonStation, RiverNetwork, TrackedObject, Warning } from './montypes';
import type { JournalEvent } from './types';

export type MonTopic = 'stations' | 'warnings' | 'river' | 'objects' | 'fences';

class MonStore {
  loaded = false;
  stations = new Map<string, MonStation>();
  warnings = new Map<string, Warning>(); // open ones
  river: RiverNetwork | null = null;
  objects = new Map<string, TrackedObject>();
  fences: Fence[] = [];
  /** Ids of warnings that arrived live after the load (highlighted on the board for a while). */
  fresh = new Map<string, number>();
  errors = new Map<MonTopic, string>();
  private listeners = new Map<MonTopic, Array<() => void>>();
  private readingListeners: Array<(r: LiveReading) => void> = [];

  on(topic: MonTopic, fn: () => void): void {
    const l = this.listeners.get(topic) ?? [];
    l.push(fn);
    this.listeners.set(topic, l);
  }

  emit(topic: MonTopic): void {
    for (const fn of this.listeners.get(topic) ?? []) fn();
  }

  onReading(fn: (r: LiveReading) => void): void {
    this.readingListeners.push(fn);
  }

  reading(r: LiveReading): void {
    for (const fn of this.readingListeners) fn(r);
  }

  /** Open warnings, the gravest first, then the newest. */
  openWarnings(): Warning[] {
    const rank: Record<string, number> = { red: 4, orange: 3, yellow: 2, blue: 1 };
    return [...this.warnings.values()].sort(
      (a, b) => (rank[b.level] ?? 0) - (rank[a.level] ?? 0) || Date.parse(b.raised_at) - Date.parse(a.raised_at) || b.id.localeCompare(a.id),
    );
  }
}

export const mon = new MonStore();

const failure = (e: unknown) => (e instanceof ApiError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));

async function loadPart<T>(topic: MonTopic, path: string, take: (body: T) => void, missing?: () => void): Promise<void> {
  try {
    take(await get<T>(path));
    mon.errors.delete(topic);
  } catch (e) {
    if (missing && e instanceof ApiError && e.status === 404) {
      missing();
      mon.errors.delete(topic);
    } else mon.errors.set(topic, failure(e));
  }
  mon.emit(topic);
}

export const loadStations = () =>
  loadPart<{ stations: MonStation[] }>('stations', '/monitoring/stations', (b) => {
    mon.stations = new Map(b.stations.map((s) => [s.id, s]));
  });

export const loadWarnings = () =>
  loadPart<{ warnings: Warning[] }>('warnings', '/warnings', (b) => {
    mon.warnings = new Map(b.warnings.map((w) => [w.id, w]));
  });

export const loadRiver = () =>
  loadPart<RiverNetwork>('river', '/river', (b) => (mon.river = b), () => (mon.river = null));

export const loadObjects = () =>
  loadPart<{ objects: TrackedObject[] }>('objects', '/objects', (b) => {
    mon.objects = new Map(b.objects.map((o) => [o.id, o]));
  });

export const loadFences = () => loadPart<{ fences: Fence[] }>('fences', '/fences', (b) => (mon.fences = b.fences));

/** Everything the page shows, as far as the person may see it. */
export async function loadMonitoring(): Promise<void> {
  const parts: Array<Promise<void>> = [];
  if (can('monitoring.read')) parts.push(loadStations(), loadRiver(), loadObjects(), loadFences());
  if (can('warning.read')) parts.push(loadWarnings());
  await Promise.all(parts);
  mon.loaded = true;
}

/** After the stream reconnected: the newest values (telemetry is not replayed). */
export function reloadMonitoring(): void {
  if (mon.loaded && can('monitoring.read')) void loadStations();
}

// ---- live ----

const stationsToFetch = new Set<string>();
const warningsToFetch = new Set<string>();

const fetchStations = coalesce(() => {
  const ids = [...stationsToFetch];
  stationsToFetch.clear();
  void Promise.all(
    ids.map(async (id) => {
      try {
        mon.stations.set(id, await get<MonStation>(`/monitoring/stations/${encodeURIComponent(id)}`));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) mon.stations.delete(id);
      }
    }),
  ).then(() => mon.emit('stations'));
}, 100);

const fetchWarnings = coalesce(() => {
  const ids = [...warningsToFetch];
  warningsToFetch.clear();
  void Promise.all(ids.map(fetchWarning)).then(() => mon.emit('warnings'));
}, 100);

async function fetchWarning(id: string): Promise<void> {
  try {
    putWarning(await get<Warning>(`/warnings/${encodeURIComponent(id)}`));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) mon.warnings.delete(id);
  }
}

function putWarning(w: Warning): void {
  if (w.status === 'lifted') mon.warnings.delete(w.id);
  else mon.warnings.set(w.id, w);
}

/** A warning changed by this console (an action's answer): shown at once, before its event. */
export function warningChanged(w: Warning): void {
  putWarning(w);
  mon.emit('warnings');
}

export const isMonitoringEvent = (type: string): boolean => /^(monitor|warning|fence|object|river)\./.test(type);

export function handleMonitoringEvent(ev: JournalEvent): void {
  if (!mon.loaded) return;
  const d = ev.data ?? {};
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  if (ev.type === 'monitor.detector_fired' || ev.type === 'monitor.detector_cleared') {
    stationsToFetch.add(str('station_id'));
    fetchStations();
  } else if (ev.type === 'monitor.station_registered' || ev.type === 'monitor.station_updated') {
    const s = d.station as MonStation | undefined;
    if (s && typeof s.id === 'string') {
      s.latest = mon.stations.get(s.id)?.latest ?? {};
      mon.stations.set(s.id, s);
      mon.emit('stations');
    }
  } else if (ev.type === 'warning.raised') {
    const w = d.warning as Warning | undefined;
    if (w && typeof w.id === 'string') {
      mon.fresh.set(w.id, Date.now() + 10000);
      putWarning(w);
      mon.emit('warnings');
    }
  } else if (ev.type.startsWith('warning.')) {
    const id = str('warning_id');
    if (id) {
      warningsToFetch.add(id);
      fetchWarnings();
    }
  } else if (ev.type === 'river.network_loaded') void loadRiver();
  else if (ev.type.startsWith('object.')) void loadObjects();
  else if (ev.type.startsWith('fence.')) reloadFencesSoon();
}

const reloadFencesSoon = coalesce(() => void loadFences(), 300);

/** `readings` telemetry: the station's newest value, then the listeners (the chart). */
export function handleReading(data: Record<string, unknown>): void {
  const r = data as unknown as LiveReading;
  if (typeof r.station_id !== 'string' || typeof r.parameter !== 'string' || typeof r.time !== 'string' || typeof r.value !== 'number') return;
  const s = mon.stations.get(r.station_id);
  if (s) {
    const latest = (s.latest ??= {});
    const old = latest[r.parameter];
    if (!old || Date.parse(old.time) <= Date.parse(r.time)) latest[r.parameter] = { time: r.time, value: r.value };
    // The level stays the station record's: the telemetry's may be read before the detectors have
    // judged the batch, and the detector events refetch the station anyway.
    scheduleStations();
  }
  mon.reading(r);
}

let stationsFrame = 0;
function scheduleStations(): void {
  if (stationsFrame) return;
  stationsFrame = window.requestAnimationFrame(() => {
    stationsFrame = 0;
    mon.emit('stations');
  });
}

/** `positions` telemetry of a tracked object. */
export function handleObjectPosition(data: Record<string, unknown>): void {
  const id = typeof data.object_id === 'string' ? data.object_id : '';
  const o = mon.objects.get(id);
  if (!o || typeof data.lon !== 'number' || typeof data.lat !== 'number') return;
  o.position = {
    time: typeof data.time === 'string' ? data.time : new Date().toISOString(),
    lon: data.lon,
    lat: data.lat,
    speed_kmh: typeof data.speed_kmh === 'number' ? data.speed_kmh : null,
  };
  objectsSoon();
}

const objectsSoon = coalesce(() => mon.emit('objects'), 200);
