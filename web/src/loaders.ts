// Reading the node's reference answers: /node and /taxonomy are described only loosely in
// docs/API.md, and unit records come from several places (GET /units, GET /units/{id}, events,
// telemetry), so their fields are read defensively here, in one place.
import { get } from './api';
import type { Agency, Incident, LonLat, NodeInfo, Station, Taxonomy, Unit, UnitPosition } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** {lon,lat}, [lon,lat] or {lng,lat} → LonLat. */
export function toLonLat(v: unknown): LonLat | null {
  if (Array.isArray(v) && v.length >= 2 && num(v[0]) !== null && num(v[1]) !== null)
    return { lon: v[0] as number, lat: v[1] as number };
  if (isObj(v)) {
    const lon = num(v.lon) ?? num(v.lng) ?? num(v.longitude);
    const lat = num(v.lat) ?? num(v.latitude);
    if (lon !== null && lat !== null) return { lon, lat };
  }
  return null;
}

export function parseNode(raw: unknown): NodeInfo {
  const o = isObj(raw) ? raw : {};
  const j = o.jurisdiction;
  const jur = str(j) ?? (isObj(j) ? str(j.code) : null) ?? str(o.code) ?? '';
  const name =
    str(o.name) ?? str(o.jurisdiction_name) ?? (isObj(j) ? str(j.name) : null) ?? jur;
  const view = [o.map, o.map_view, o.initial_view, o.view].find(isObj) ?? {};
  const center = toLonLat(view.center) ?? toLonLat(o.center) ?? toLonLat(view);
  const zoom = num(view.zoom) ?? num(o.zoom);
  const divisions = new Map<string, string>();
  const parents = new Map<string, string>();
  if (jur) divisions.set(jur, name);
  for (const d of list(o.tree, 'items').filter(isObj)) {
    const code = str(d.code);
    if (code) divisions.set(code, str(d.name) ?? code);
    const parent = str(d.parent);
    if (code && parent) parents.set(code, parent);
  }
  const dispatch = isObj(o.dispatch) ? o.dispatch : {};
  return {
    jurisdiction: jur,
    name,
    timeZone: str(o.time_zone) ?? str(o.timezone) ?? str(o.tz) ?? str(o.zone) ?? 'Asia/Shanghai',
    center,
    zoom,
    tileUrl: str(o.tile_url) ?? str(view.tile_url),
    tileAttribution: str(o.tile_attribution) ?? str(view.tile_attribution),
    divisions,
    parents,
    staleAfterS: num(dispatch.stale_after_s) ?? num(o.stale_after_s) ?? 120,
  };
}

function codes(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v
    .map((x) => (typeof x === 'string' ? x : isObj(x) ? str(x.code) ?? str(x.id) : null))
    .filter((x): x is string => x !== null);
}

export function parseTaxonomy(raw: unknown): Taxonomy {
  const o = isObj(raw) ? raw : {};
  const types = Array.isArray(o.types)
    ? o.types.filter(isObj).map((t) => ({
        code: str(t.code) ?? '',
        category: str(t.category) ?? '',
        family: str(t.family) ?? undefined,
        name_zh: str(t.name_zh) ?? str(t.code) ?? '',
        name_en: str(t.name_en) ?? str(t.code) ?? '',
      }))
    : [];
  const or = (l: string[], d: string[]) => (l.length ? l : d);
  return {
    types: types.filter((t) => t.code),
    categories: or(codes(o.categories), [
      'natural_disaster',
      'accident_disaster',
      'public_health',
      'social_safety',
    ]),
    grades: or(codes(o.grades), ['I', 'II', 'III', 'IV']),
    priorities: or(codes(o.priorities), ['P1', 'P2', 'P3', 'P4']),
    channels: or(codes(o.channels), ['110', '119', '120', '122', '12345', 'sensor', 'linkage', 'manual']),
    unitTypes: or(codes(o.unit_types), [
      'engine',
      'ladder',
      'rescue',
      'hazmat',
      'water_tender',
      'ambulance',
      'patrol',
      'traffic',
      'boat',
      'team',
    ]),
  };
}

/** An array, or {items: [...]}/{units: [...]}. */
function list(raw: unknown, key: string): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (isObj(raw)) {
    if (Array.isArray(raw.items)) return raw.items;
    if (Array.isArray(raw[key])) return raw[key] as unknown[];
  }
  return [];
}

const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function parsePosition(v: unknown): UnitPosition | null {
  const at = toLonLat(v);
  if (!at || !isObj(v)) return null;
  return {
    ...at,
    source: str(v.source) ?? 'fix',
    time: str(v.time),
    speed_kmh: num(v.speed_kmh),
    heading_deg: num(v.heading_deg),
    stale: v.stale === true,
    on_road: v.on_road === true,
  };
}

/** One unit record (GET /units/{id}, an item of GET /units, unit.registered's `unit`). */
export function parseUnit(raw: unknown): Unit | null {
  if (!isObj(raw)) return null;
  const id = str(raw.id);
  if (!id) return null;
  return {
    id,
    jurisdiction: str(raw.jurisdiction) ?? undefined,
    call_sign: str(raw.call_sign) ?? str(raw.name) ?? undefined,
    type: str(raw.type) ?? undefined,
    agency_id: str(raw.agency_id) ?? undefined,
    station_id: str(raw.station_id) ?? undefined,
    capabilities: strs(raw.capabilities),
    crew: num(raw.crew) ?? undefined,
    status: str(raw.status) ?? undefined,
    status_since: str(raw.status_since) ?? undefined,
    incident_id: str(raw.incident_id),
    position: parsePosition(raw.position) ?? parsePosition(raw.location),
    history: Array.isArray(raw.history) ? (raw.history.filter(isObj) as unknown as Unit['history']) : undefined,
  };
}

export interface UnitsAnswer {
  units: Unit[];
  stations: Station[];
  agencies: Agency[];
}

/** GET /units: {items, stations, agencies} (an array of units is accepted too). */
export function parseUnits(raw: unknown): UnitsAnswer {
  const o = isObj(raw) ? raw : {};
  return {
    units: list(raw, 'units')
      .map(parseUnit)
      .filter((u): u is Unit => u !== null),
    stations: list(o.stations, 'stations')
      .filter(isObj)
      .map((s) => ({
        id: str(s.id) ?? '',
        jurisdiction: str(s.jurisdiction) ?? undefined,
        name: str(s.name) ?? str(s.id) ?? '',
        agency_id: str(s.agency_id) ?? undefined,
        location: toLonLat(s.location),
      }))
      .filter((s) => s.id),
    agencies: list(o.agencies, 'agencies')
      .filter(isObj)
      .map((a) => ({
        id: str(a.id) ?? '',
        jurisdiction: str(a.jurisdiction) ?? undefined,
        name: str(a.name) ?? str(a.id) ?? '',
        kind: str(a.kind) ?? undefined,
      }))
      .filter((a) => a.id),
  };
}

export async function loadOpenIncidents(): Promise<Incident[]> {
  const out: Incident[] = [];
  let cursor: string | null = null;
  // 200 a page as the API allows; follow next_cursor a few pages for a busy node.
  for (let page = 0; page < 5; page++) {
    const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const ans = await get<{ items: Incident[]; next_cursor?: string | null }>(
      `/incidents?open=true&limit=200${q}`,
    );
    out.push(...(ans.items ?? []));
    cursor = ans.next_cursor ?? null;
    if (!cursor) break;
  }
  return out;
}
