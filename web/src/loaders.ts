// Reading the node's reference answers into the store. /node, /taxonomy and /units are described
// only loosely in docs/API.md, so their fields are read defensively here, in one place.
import { get } from './api';
import type { Incident, LonLat, NodeInfo, Taxonomy, Unit } from './types';

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
  if (jur) divisions.set(jur, name);
  for (const d of list(o.tree, 'items').filter(isObj)) {
    const code = str(d.code);
    if (code) divisions.set(code, str(d.name) ?? code);
  }
  return {
    jurisdiction: jur,
    name,
    timeZone: str(o.time_zone) ?? str(o.timezone) ?? str(o.tz) ?? str(o.zone) ?? 'Asia/Shanghai',
    center,
    zoom,
    tileUrl: str(o.tile_url) ?? str(view.tile_url),
    tileAttribution: str(o.tile_attribution) ?? str(view.tile_attribution),
    divisions,
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

export function parseUnits(raw: unknown): Unit[] {
  return list(raw, 'units')
    .filter(isObj)
    .map((u) => ({
      id: str(u.id) ?? '',
      name: str(u.name) ?? str(u.call_sign) ?? undefined,
      type: str(u.type) ?? undefined,
      status: str(u.status) ?? undefined,
      location:
        toLonLat(u.location) ?? toLonLat(u.position) ?? toLonLat(u.home) ?? toLonLat(u.station_location),
    }))
    .filter((u) => u.id);
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
