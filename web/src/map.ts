// The Leaflet map: node base layers (boundaries always, roads when the node has a road network —
// roads.ts —, an online tile layer only when the node names one), open incidents coloured by
// priority, units (unitlayer.ts, on a canvas), overlays other modules draw (a recommendation's
// routes, coverage move-ups), and map picking.
import L from 'leaflet';
import iconUrl from 'leaflet/dist/images/marker-icon.png';
import iconRetinaUrl from 'leaflet/dist/images/marker-icon-2x.png';
import shadowUrl from 'leaflet/dist/images/marker-shadow.png';
import { get } from './api';
import { t, onLanguageChange } from './i18n';
import { priorityName, typeName } from './format';
import { addRoadsLayer } from './roads';
import { createUnitLayer } from './unitlayer';
import { selectIncident } from './selection';
import { can } from './session';
import { store } from './state';
import type { Incident, LonLat } from './types';

// Bundled marker images (no CDN): Leaflet's default icon otherwise guesses a path from its CSS.
L.Icon.Default.mergeOptions({ iconUrl, iconRetinaUrl, shadowUrl });

let map: L.Map;
const incidentLayer = L.layerGroup();
let unitLayer: L.FeatureGroup | null = null;
const incidentMarkers = new Map<string, L.Marker>();
const overlays = new Map<string, L.FeatureGroup>();
let pickMarker: L.Marker | null = null;
let pick: { hint: string; done: (p: LonLat) => void } | null = null;
let fallbackClick: ((p: LonLat) => boolean) | null = null;
let hintEl: HTMLElement;
let layerControl: L.Control.Layers;
let boundaries: L.GeoJSON | null = null;
let roads: L.GeoJSON | null = null;
let mapEl: HTMLElement;
let tiles: L.TileLayer | null = null;

export function initMap(el: HTMLElement): void {
  const node = store.node;
  mapEl = el;
  map = L.map(el, { zoomControl: true, attributionControl: true, preferCanvas: false });
  const c = node?.center;
  map.setView(c ? [c.lat, c.lon] : [23.05, 112.47], node?.zoom ?? 10);
  incidentLayer.addTo(map);
  for (const g of overlays.values()) g.addTo(map);
  if (can('unit.read')) unitLayer = createUnitLayer(map).addTo(map);
  if (node?.tileUrl) {
    tiles = L.tileLayer(node.tileUrl, { maxZoom: 19, attribution: node.tileAttribution ?? '' });
    tiles.addTo(map);
  }
  layerControl = L.control.layers(undefined, undefined, { collapsed: true }).addTo(map);
  hintEl = L.DomUtil.create('div', 'map-hint', el);
  hintEl.dataset.testid = 'map-hint';
  hintEl.hidden = true;
  L.DomEvent.disableClickPropagation(hintEl);
  map.on('click', (e: L.LeafletMouseEvent) => {
    const p = { lon: round6(e.latlng.lng), lat: round6(e.latlng.lat) };
    if (pick) {
      const { done } = pick;
      endPick();
      done(p);
    } else if (fallbackClick) fallbackClick(p);
  });
  store.on('incidents', syncIncidents);
  store.on('selection', syncIncidents);
  onLanguageChange(() => {
    syncIncidents();
    relabelLayers();
    if (pick) showHint(pick.hint);
  });
  void loadBaseLayers(!c);
  syncIncidents();
  relabelLayers();
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

async function loadBaseLayers(fit: boolean): Promise<void> {
  try {
    const gj = await get<GeoJSON.GeoJsonObject>('/layers/boundaries');
    boundaries = L.geoJSON(gj, {
      style: { color: '#7aa2d6', weight: 1.5, fillOpacity: 0.03, interactive: false },
      interactive: false,
    }).addTo(map);
    boundaries.bringToBack();
    if (fit && boundaries.getBounds().isValid()) map.fitBounds(boundaries.getBounds());
  } catch {
    /* no boundaries: the map still works */
  }
  relabelLayers();
  roads = await addRoadsLayer(map, mapEl);
  relabelLayers();
}

function relabelLayers(): void {
  if (!layerControl) return;
  for (const l of [boundaries, roads, tiles, incidentLayer, unitLayer]) if (l) layerControl.removeLayer(l);
  if (tiles) layerControl.addOverlay(tiles, t('map.online'));
  if (boundaries) layerControl.addOverlay(boundaries, t('map.boundaries'));
  if (roads) layerControl.addOverlay(roads, t('map.roads'));
  layerControl.addOverlay(incidentLayer, t('map.incidents'));
  if (unitLayer) layerControl.addOverlay(unitLayer, t('map.units'));
}

function incidentIcon(inc: Incident): L.DivIcon {
  const p = (inc.priority ?? 'P4').toLowerCase();
  const cls = ['inc-marker', `prio-${p}`];
  if (store.isFlashing(inc.id)) cls.push('flash');
  if (store.selectedId === inc.id) cls.push('selected');
  const html = `<div class="${cls.join(' ')}" data-testid="incident-marker" data-incident-id="${esc(
    inc.id,
  )}" data-priority="${esc(inc.priority ?? '')}"><span>${esc((inc.priority ?? '').replace('P', ''))}</span></div>`;
  return L.divIcon({ html, className: 'inc-marker-wrap', iconSize: [22, 22], iconAnchor: [11, 11] });
}

function syncIncidents(): void {
  if (!map) return;
  const seen = new Set<string>();
  for (const inc of store.openIncidents()) {
    if (!inc.location || inc.located === false) continue;
    seen.add(inc.id);
    const ll: L.LatLngExpression = [inc.location.lat, inc.location.lon];
    let m = incidentMarkers.get(inc.id);
    if (!m) {
      m = L.marker(ll, { icon: incidentIcon(inc), riseOnHover: true });
      const id = inc.id;
      m.on('click', () => void selectIncident(id));
      m.addTo(incidentLayer);
      incidentMarkers.set(inc.id, m);
    } else {
      m.setLatLng(ll);
      m.setIcon(incidentIcon(inc));
    }
    m.unbindTooltip();
    m.bindTooltip(`${inc.id} · ${priorityName(inc.priority)} · ${typeName(inc.type)}<br>${esc(inc.title ?? inc.address ?? '')}`);
  }
  for (const [id, m] of incidentMarkers)
    if (!seen.has(id)) {
      m.remove();
      incidentMarkers.delete(id);
    }
}

function showHint(text: string): void {
  hintEl.hidden = false;
  hintEl.textContent = '';
  const span = document.createElement('span');
  span.textContent = text;
  const btn = document.createElement('button');
  btn.type = 'button';
  btn.textContent = t('map.cancelPick');
  btn.dataset.testid = 'map-cancel-pick';
  btn.addEventListener('click', endPick);
  hintEl.append(span, btn);
  map.getContainer().classList.add('picking');
}

/** The next click on the map goes to done (e.g. placing an unlocated alarm). */
export function startPick(hint: string, done: (p: LonLat) => void): void {
  pick = { hint, done };
  showHint(hint);
}

export function endPick(): void {
  pick = null;
  if (hintEl) hintEl.hidden = true;
  map?.getContainer().classList.remove('picking');
}

/** A handler for clicks when no pick is pending; returns whether it used the click. */
export function setFallbackClick(fn: (p: LonLat) => boolean): void {
  fallbackClick = fn;
}

/** Shows (or hides, with null) the chosen location of the alarm being reported. */
export function showPicked(p: LonLat | null): void {
  if (!map) return;
  if (!p) {
    pickMarker?.remove();
    pickMarker = null;
    return;
  }
  if (!pickMarker) pickMarker = L.marker([p.lat, p.lon], { interactive: false }).addTo(map);
  else pickMarker.setLatLng([p.lat, p.lon]);
}

export function panTo(p: LonLat): void {
  map?.panTo([p.lat, p.lon]);
}

/** The map's centre (ties in address search go to what is near it), or null before the map. */
export function mapCenter(): LonLat | null {
  if (!map) return null;
  const c = map.getCenter();
  return { lon: round6(c.lng), lat: round6(c.lat) };
}

/** Shows `p` closely (a picked address). */
export function zoomTo(p: LonLat, zoom = 16): void {
  map?.setView([p.lat, p.lon], Math.max(map.getZoom(), zoom));
}

/**
 * An overlay drawn by another module (`routes`: a recommendation's routes; `moveups`: coverage
 * move-ups), over the roads and under the markers; created on first use, empty until drawn into.
 */
export function overlay(id: 'routes' | 'moveups'): L.FeatureGroup {
  let g = overlays.get(id);
  if (!g) {
    g = L.featureGroup();
    overlays.set(id, g);
    if (map) g.addTo(map);
  }
  return g;
}

/** Shows the bounds (of an overlay's drawing, say), leaving room around them. */
export function fitTo(b: L.LatLngBounds, maxZoom = 16): void {
  if (map && b.isValid()) map.fitBounds(b, { padding: [30, 30], maxZoom });
}

export function leafletMap(): L.Map | null {
  return map ?? null;
}

export function invalidate(): void {
  map?.invalidateSize();
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
