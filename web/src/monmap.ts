// The monitoring page's own Leaflet map: jurisdiction boundaries, the river network (reaches as
// lines, sections, intakes and borders as small circles), fences (polygons), monitoring stations
// as round markers in the colour of their worst current level (data-level on the element, so the
// colour is visible to tests and to assistive tools through the tooltip), tracked objects at their
// newest positions, and a prediction's arrival times as labels at the sites it reaches. Redrawn
// from the monitoring store (monstate.ts) on change.
import L from 'leaflet';
import { get } from './api';
import { clockTime, showTime } from './format';
import { codeName, onLanguageChange, t } from './i18n';
import { mon } from './monstate';
import { LEVEL_COLOUR } from './monchart';
import type { MonStation, Prediction } from './montypes';
import { store } from './state';

export interface MonMapHandlers {
  station(id: string): void;
  site(id: string): void;
}

let map: L.Map | null = null;
const stationLayer = L.layerGroup();
const riverLayer = L.featureGroup();
const fenceLayer = L.featureGroup();
const objectLayer = L.layerGroup();
const predictLayer = L.featureGroup();
const stationMarkers = new Map<string, L.Marker>();
const objectMarkers = new Map<string, L.Marker>();
let handlers: MonMapHandlers;
let control: L.Control.Layers;
let selectedStation = '';
let fitted = false;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function initMonMap(el: HTMLElement, h: MonMapHandlers): void {
  handlers = h;
  const c = store.node?.center;
  map = L.map(el, { zoomControl: true, attributionControl: false });
  map.setView(c ? [c.lat, c.lon] : [23.05, 112.47], store.node?.zoom ?? 9);
  for (const l of [fenceLayer, riverLayer, predictLayer, objectLayer, stationLayer]) l.addTo(map);
  control = L.control.layers(undefined, undefined, { collapsed: true }).addTo(map);
  relabel();
  void get<GeoJSON.GeoJsonObject>('/layers/boundaries')
    .then((gj) => {
      if (!map) return;
      L.geoJSON(gj, { style: { color: '#7aa2d6', weight: 1.2, fillOpacity: 0.02 }, interactive: false }).addTo(map).bringToBack();
    })
    .catch(() => undefined);
  mon.on('stations', syncStations);
  mon.on('river', drawRiver);
  mon.on('fences', drawFences);
  mon.on('objects', syncObjects);
  onLanguageChange(() => {
    relabel();
    syncStations();
    syncObjects();
  });
  syncStations();
  drawRiver();
  drawFences();
  syncObjects();
}

export function invalidateMonMap(): void {
  map?.invalidateSize();
}

function relabel(): void {
  for (const l of [stationLayer, riverLayer, fenceLayer, objectLayer, predictLayer]) control.removeLayer(l);
  control.addOverlay(stationLayer, t('mon.layerStations'));
  control.addOverlay(riverLayer, t('mon.layerRiver'));
  control.addOverlay(predictLayer, t('mon.layerPredict'));
  control.addOverlay(fenceLayer, t('mon.layerFences'));
  control.addOverlay(objectLayer, t('mon.layerObjects'));
}

export function levelText(level: string | null | undefined): string {
  return level ? codeName('mon.level', level) : t('mon.level.none');
}

function stationIcon(s: MonStation): L.DivIcon {
  const level = s.level || 'none';
  const hasData = !!s.latest && Object.keys(s.latest).length > 0;
  const cls = ['mon-station', `lv-${level}`, hasData ? '' : 'no-data', s.active ? '' : 'inactive', s.id === selectedStation ? 'selected' : ''];
  const html = `<div class="${cls.join(' ')}" data-testid="station-marker" data-station-id="${esc(s.id)}" data-level="${level}" style="background:${
    s.level || hasData ? LEVEL_COLOUR[s.level] ?? '#8b95a5' : '#8b95a5'
  }"></div>`;
  return L.divIcon({ html, className: 'mon-station-wrap', iconSize: [18, 18], iconAnchor: [9, 9] });
}

function syncStations(): void {
  if (!map) return;
  const seen = new Set<string>();
  for (const s of mon.stations.values()) {
    seen.add(s.id);
    const ll: L.LatLngExpression = [s.location.lat, s.location.lon];
    let m = stationMarkers.get(s.id);
    if (!m) {
      m = L.marker(ll, { icon: stationIcon(s), riseOnHover: true, keyboard: true, title: s.name });
      const id = s.id;
      m.on('click', () => handlers.station(id));
      m.addTo(stationLayer);
      stationMarkers.set(s.id, m);
    } else {
      m.setLatLng(ll);
      m.setIcon(stationIcon(s));
    }
    if (s.level) m.setZIndexOffset(1000 * (['', 'blue', 'yellow', 'orange', 'red'].indexOf(s.level) + 1));
    m.unbindTooltip();
    m.bindTooltip(`${esc(s.name)} · ${esc(s.id)}<br>${levelText(s.level)}`);
  }
  for (const [id, m] of stationMarkers)
    if (!seen.has(id)) {
      m.remove();
      stationMarkers.delete(id);
    }
}

/** Once, after the first load: shows every station, the river, the fences and the objects. */
export function fitAll(): void {
  if (!map || fitted) return;
  const b = L.latLngBounds([]);
  for (const m of stationMarkers.values()) b.extend(m.getLatLng());
  for (const m of objectMarkers.values()) b.extend(m.getLatLng());
  for (const g of [riverLayer, fenceLayer]) if (g.getBounds().isValid()) b.extend(g.getBounds());
  if (!b.isValid()) return;
  fitted = true;
  map.fitBounds(b, { padding: [40, 40], maxZoom: 13 });
}

export function selectStationOnMap(id: string, pan: boolean): void {
  selectedStation = id;
  syncStations();
  const m = stationMarkers.get(id);
  if (m && pan && map && !map.getBounds().contains(m.getLatLng())) map.panTo(m.getLatLng());
}

function drawRiver(): void {
  riverLayer.clearLayers();
  if (!mon.river) return;
  L.geoJSON(mon.river, {
    filter: (f) => !!f.geometry,
    style: { color: '#4aa3df', weight: 3, opacity: 0.85 },
    pointToLayer: (f, ll) => {
      const kind = String(f.properties?.kind ?? 'section');
      const colour = kind === 'intake' ? '#c084fc' : kind === 'border' ? '#e0a526' : '#9fd3ff';
      return L.circleMarker(ll, { radius: 5, color: '#0b0e13', weight: 1, fillColor: colour, fillOpacity: 1 });
    },
    onEachFeature: (f, layer) => {
      const p = f.properties ?? {};
      const name = esc(String(p.name ?? p.id ?? ''));
      if (p.kind === 'reach') layer.bindTooltip(`${name}${p.river ? ` · ${esc(String(p.river))}` : ''}`, { sticky: true });
      else {
        layer.bindTooltip(`${name} · ${codeName('mon.site', String(p.kind ?? ''))}`);
        layer.on('click', () => handlers.site(String(p.id)));
      }
    },
  }).addTo(riverLayer);
}

function drawFences(): void {
  fenceLayer.clearLayers();
  for (const f of mon.fences) {
    const colour = f.kind === 'water_source_protection' ? '#4c8dff' : '#ff9f1a';
    const g = L.geoJSON(f.area, {
      style: { color: colour, weight: 1.5, dashArray: f.active ? undefined : '4 4', fillOpacity: 0.08, className: `mon-fence kind-${f.kind}` },
    });
    g.bindTooltip(`${esc(f.name)} · ${t('mon.fenceHits', { n: f.hits })}${f.active ? '' : ` · ${t('mon.fenceOff')}`}`, { sticky: true });
    g.addTo(fenceLayer);
  }
}

function syncObjects(): void {
  const seen = new Set<string>();
  for (const o of mon.objects.values()) {
    if (!o.position) continue;
    seen.add(o.id);
    const ll: L.LatLngExpression = [o.position.lat, o.position.lon];
    const icon = L.divIcon({
      html: `<div class="mon-object kind-${esc(o.kind)}" data-testid="object-marker" data-object-id="${esc(o.id)}">${o.kind === 'vessel' ? '⛴' : '⛟'}</div>`,
      className: 'mon-object-wrap',
      iconSize: [20, 20],
      iconAnchor: [10, 10],
    });
    let m = objectMarkers.get(o.id);
    if (!m) {
      m = L.marker(ll, { icon }).addTo(objectLayer);
      objectMarkers.set(o.id, m);
    } else m.setLatLng(ll);
    m.unbindTooltip();
    m.bindTooltip(`${esc(o.name)} · ${esc(o.id)}<br>${showTime(o.position.time)}${o.position.speed_kmh != null ? ` · ${Math.round(o.position.speed_kmh)} km/h` : ''}`);
  }
  for (const [id, m] of objectMarkers)
    if (!seen.has(id)) {
      m.remove();
      objectMarkers.delete(id);
    }
}

/** Where each site is on the map (from the river's GeoJSON). */
function sitePoints(): Map<string, L.LatLng> {
  const out = new Map<string, L.LatLng>();
  for (const f of mon.river?.features ?? [])
    if (f.geometry?.type === 'Point' && f.properties?.id) {
      const [lon, lat] = (f.geometry as GeoJSON.Point).coordinates;
      out.set(String(f.properties.id), L.latLng(lat, lon));
    }
  return out;
}

/** Labels of a prediction's arrival times at the sites it reaches (null clears them). */
export function showPrediction(p: Prediction | null, releaseAt: number): void {
  predictLayer.clearLayers();
  if (!p) return;
  const at = sitePoints();
  // Short labels, above and below the river in turn, so that neighbours do not cover each other;
  // the full times are in the river panel's table.
  p.arrivals.forEach((a, i) => {
    const ll = at.get(a.site);
    if (!ll) return;
    const hours = (Date.parse(a.arrival) - releaseAt) / 3_600_000;
    L.circleMarker(ll, { radius: 8, color: '#ff9f1a', weight: 2, fill: false, interactive: false }).addTo(predictLayer);
    const up = i % 2 === 0;
    L.tooltip({ permanent: true, direction: up ? 'top' : 'bottom', className: 'mon-arrival-label', offset: [0, up ? -8 : 8] })
      .setLatLng(ll)
      .setContent(`${esc(a.name || a.site)} ${clockTime(a.arrival)} <b>+${hours.toFixed(1)} h</b>`)
      .addTo(predictLayer);
  });
  if (map && predictLayer.getBounds().isValid()) map.fitBounds(predictLayer.getBounds().pad(0.2), { maxZoom: 13 });
}
