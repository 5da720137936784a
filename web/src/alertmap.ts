// The alerts page's map: the area of every current alert — published ones this node issued (solid)
// and received ones (dashed) — as its CAP polygons and circles, in the colour of its level. Each
// shape's SVG path carries class `alert-area lv-LEVEL dir-DIRECTION` and data-alert-id /
// data-level, so tests and assistive tools can tell them apart; its tooltip names the alert. A
// click chooses the alert (#alerts/ID); the chosen one is drawn thicker and brought into view.
// Redrawn from the store on change.
import L from 'leaflet';
import { get } from './api';
import { selectAlert } from './alertlists';
import { alerts } from './alertstate';
import type { Alert } from './alerttypes';
import { showTime } from './format';
import { onLanguageChange, t } from './i18n';
import { LEVEL_COLOUR } from './monchart';
import { levelText } from './monmap';
import { store } from './state';

let map: L.Map | null = null;
const areaLayer = L.featureGroup();
const shapes = new Map<string, L.FeatureGroup>();
let fitted = false;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Alerts whose area is shown: in force, issued or received. */
const onMap = (a: Alert) => (a.direction === 'outgoing' ? a.state === 'published' : a.state === 'received') && a.msg_type !== 'Cancel';

export function initAlertMap(el: HTMLElement): void {
  const c = store.node?.center;
  map = L.map(el, { zoomControl: true, attributionControl: false });
  map.setView(c ? [c.lat, c.lon] : [23.05, 112.47], store.node?.zoom ?? 9);
  areaLayer.addTo(map);
  void get<GeoJSON.GeoJsonObject>('/layers/boundaries')
    .then((gj) => {
      if (!map) return;
      L.geoJSON(gj, { style: { color: '#7aa2d6', weight: 1.2, fillOpacity: 0.02 }, interactive: false }).addTo(map).bringToBack();
    })
    .catch(() => undefined);
  alerts.on('alerts', draw);
  alerts.on('selection', () => {
    draw();
    focusSelected();
  });
  onLanguageChange(draw);
  draw();
}

export function invalidateAlertMap(): void {
  map?.invalidateSize();
}

function draw(): void {
  if (!map) return;
  areaLayer.clearLayers();
  shapes.clear();
  for (const a of alerts.list(onMap)) {
    const g = shapeOf(a);
    if (!g) continue;
    g.addTo(areaLayer);
    shapes.set(a.id, g);
    // The SVG paths exist once added: mark them for tests and tools.
    g.eachLayer((l) => {
      const p = (l as L.Path).getElement?.();
      if (p) {
        p.setAttribute('data-alert-id', a.id);
        p.setAttribute('data-level', a.level);
        p.setAttribute('data-testid', 'alert-area');
      }
    });
  }
  if (!fitted && areaLayer.getBounds().isValid()) {
    fitted = true;
    map.fitBounds(areaLayer.getBounds().pad(0.3), { maxZoom: 12 });
  }
}

function shapeOf(a: Alert): L.FeatureGroup | null {
  const colour = LEVEL_COLOUR[a.level] ?? '#8b95a5';
  const selected = alerts.selected === a.id;
  const style: L.PathOptions = {
    color: colour,
    weight: selected ? 4 : 2,
    dashArray: a.direction === 'incoming' ? '6 4' : undefined,
    fillColor: colour,
    fillOpacity: selected ? 0.35 : 0.18,
    className: `alert-area lv-${a.level || 'none'} dir-${a.direction}`,
  };
  const g = L.featureGroup();
  for (const ring of a.content.polygons ?? [])
    if (Array.isArray(ring) && ring.length >= 3) L.polygon(ring.map(([lon, lat]) => L.latLng(lat, lon)), style).addTo(g);
  for (const c of a.content.circles ?? [])
    if (c && Array.isArray(c.centre)) L.circle(L.latLng(c.centre[1], c.centre[0]), { ...style, radius: Math.max(1, c.radius_km * 1000) }).addTo(g);
  if (!g.getLayers().length) return null;
  const title = a.content.headline || a.content.event || a.id;
  g.bindTooltip(
    `<b>${esc(title)}</b><br>${esc(levelText(a.level))} · ${esc(a.identifier || a.id)}<br>${esc(a.content.area_desc)}${a.sent ? ` · ${esc(showTime(a.sent))}` : ''}${
      a.direction === 'incoming' ? `<br>${esc(t('alert.incoming'))}` : ''
    }`,
    { sticky: true },
  );
  g.on('click', () => selectAlert(a.id));
  return g;
}

function focusSelected(): void {
  const id = alerts.selected;
  if (!map || !id) return;
  const g = shapes.get(id);
  if (!g) return;
  map.fitBounds(g.getBounds().pad(0.5), { maxZoom: 13 });
}
