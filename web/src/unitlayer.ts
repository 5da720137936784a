// Units on the map: one canvas (Leaflet's canvas renderer, a circle marker per unit, no DOM node
// per unit), coloured by status; a stale position is drawn hollow and dimmed. Redrawn once an
// animation frame for the units that moved or changed (units.ts batches the `positions` telemetry
// and unit events); staleness is re-checked every few seconds, as fixes age.
import L from 'leaflet';
import { codeName, t } from './i18n';
import { selectIncident } from './selection';
import { store } from './state';
import { ageS, isStale, onPositions, statusColor } from './units';
import type { Unit } from './types';

interface Drawn {
  marker: L.CircleMarker;
  status: string;
  stale: boolean;
  assigned: boolean;
}

const drawn = new Map<string, Drawn>();
let layer: L.FeatureGroup;
let renderer: L.Canvas;
let map: L.Map;

/** Creates the layer (added to the map by the caller). */
export function createUnitLayer(m: L.Map): L.FeatureGroup {
  map = m;
  // Over the roads and boundaries, under the incidents' markers (marker pane 600).
  const pane = map.createPane('units');
  pane.style.zIndex = '450';
  renderer = L.canvas({ pane: 'units', padding: 0.3, tolerance: 3 });
  layer = L.featureGroup();
  onPositions((ids) => sync(ids));
  window.setInterval(() => restyleStale(), 5000);
  exposeProbe();
  sync(null); // the units loaded before the map was made
  return layer;
}

function style(u: Unit, stale: boolean): L.CircleMarkerOptions {
  const c = statusColor(u.status);
  const assigned = !!u.incident_id;
  return {
    radius: assigned ? 6.5 : 5,
    color: stale ? c : '#0b0e13',
    weight: stale ? 2 : 1,
    opacity: stale ? 0.7 : 1,
    fillColor: c,
    fillOpacity: stale ? 0 : 0.95,
    dashArray: stale ? '3 2' : undefined,
  };
}

function tooltip(id: string): string {
  const u = store.units.get(id);
  if (!u) return '';
  const p = u.position;
  const parts = [
    `<strong>${esc(u.call_sign ?? u.id)}</strong> · ${esc(codeName('unitType', u.type))}`,
    `${esc(codeName('unitStatus', u.status))}${u.incident_id ? ` · ${esc(u.incident_id)}` : ''}`,
  ];
  if (p?.source === 'fix') {
    const speed = typeof p.speed_kmh === 'number' ? t('units.speed', { v: Math.round(p.speed_kmh) }) : '';
    const age = ageS(p.time);
    parts.push([speed, age !== null ? t('units.fixAge', { age: shortAge(age) }) : ''].filter(Boolean).join(' · '));
  } else parts.push(t(p?.source === 'station' ? 'units.atStation' : 'units.noPosition'));
  if (isStale(u)) parts.push(`<span class="stale-note">${esc(t('units.stale'))}</span>`);
  return parts.join('<br>');
}

/** 42 s, 3 min 5 s, 2 h 4 min. */
export function shortAge(s: number): string {
  if (s < 60) return t('age.s', { s });
  if (s < 3600) return t('age.ms', { m: Math.floor(s / 60), s: s % 60 });
  return t('age.hm', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

function sync(ids: ReadonlySet<string> | null): void {
  if (!map) return;
  const now = Date.now();
  const visit = (u: Unit) => {
    const p = u.position;
    const d = drawn.get(u.id);
    if (!p || p.source === 'none') {
      if (d) {
        d.marker.remove();
        drawn.delete(u.id);
      }
      return;
    }
    const stale = isStale(u, now);
    const status = u.status ?? '';
    const assigned = !!u.incident_id;
    if (!d) {
      const marker = L.circleMarker([p.lat, p.lon], { ...style(u, stale), renderer, pane: 'units', bubblingMouseEvents: false });
      const id = u.id;
      marker.bindTooltip(() => tooltip(id), { direction: 'top', offset: [0, -6] });
      marker.on('click', () => {
        const inc = store.units.get(id)?.incident_id;
        if (inc) void selectIncident(inc);
      });
      marker.addTo(layer);
      drawn.set(u.id, { marker, status, stale, assigned });
      return;
    }
    const ll = d.marker.getLatLng();
    if (ll.lat !== p.lat || ll.lng !== p.lon) d.marker.setLatLng([p.lat, p.lon]);
    if (d.status !== status || d.stale !== stale || d.assigned !== assigned) {
      d.marker.setStyle(style(u, stale));
      d.marker.setRadius(assigned ? 6.5 : 5);
      Object.assign(d, { status, stale, assigned });
    }
    if (d.marker.isTooltipOpen()) d.marker.setTooltipContent(tooltip(u.id));
  };
  if (ids) {
    for (const id of ids) {
      const u = store.units.get(id);
      if (u) visit(u);
    }
    return;
  }
  for (const u of store.units.values()) visit(u);
  for (const [id, d] of drawn)
    if (!store.units.has(id)) {
      d.marker.remove();
      drawn.delete(id);
    }
}

function restyleStale(): void {
  const now = Date.now();
  for (const [id, d] of drawn) {
    const u = store.units.get(id);
    if (!u) continue;
    const stale = isStale(u, now);
    if (stale !== d.stale) {
      d.stale = stale;
      d.marker.setStyle(style(u, stale));
    }
  }
}

/**
 * For tests and debugging (the units are pixels on a canvas, not elements):
 * `window.liandongUnits.marker(id)` → where and how a unit is drawn, or null.
 */
function exposeProbe(): void {
  const probe = {
    marker(id: string) {
      const d = drawn.get(id);
      if (!d || !map.hasLayer(layer)) return null;
      const ll = d.marker.getLatLng();
      const pt = map.latLngToContainerPoint(ll);
      const o = d.marker.options;
      return { lat: ll.lat, lon: ll.lng, x: pt.x, y: pt.y, status: d.status, stale: d.stale, fill: o.fillColor, filled: (o.fillOpacity ?? 0) > 0 };
    },
    count: () => drawn.size,
    zoom: () => map.getZoom(),
  };
  (window as unknown as { liandongUnits: typeof probe }).liandongUnits = probe;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
