// The roads base layer: drawn from GET /api/v1/roads for the visible box (refetched, debounced,
// when the map stops moving), under the incidents and units, each class its own width. Only when
// GET /api/v1/roads/info says the node has a road network; the same answer tells the alarm form
// whether address search is there (roadsLoaded()).
import L from 'leaflet';
import { ApiError, get } from './api';
import { onLanguageChange, t } from './i18n';

export interface RoadsInfo {
  loaded: boolean;
  message?: string;
  source?: string;
  nodes?: number;
  roads?: number;
  places?: number;
  bbox?: [number, number, number, number];
  snap_max_m?: number;
}

interface RoadFeatures extends GeoJSON.FeatureCollection<GeoJSON.LineString, { class: string; oneway: boolean }> {
  truncated?: boolean;
  zoom?: number;
}

// For the console's dark map (and still readable over light tiles): major roads warm and wide.
const STYLE: Record<string, { color: string; weight: number }> = {
  motorway: { color: '#d9822b', weight: 4 },
  trunk: { color: '#d99a4e', weight: 3.5 },
  primary: { color: '#c9a862', weight: 3 },
  secondary: { color: '#a4a07c', weight: 2.5 },
  tertiary: { color: '#848a96', weight: 2 },
  residential: { color: '#5d6778', weight: 1.4 },
  service: { color: '#4a5364', weight: 1 },
  other: { color: '#4a5364', weight: 1 },
};
const DEBOUNCE_MS = 250;

let info: RoadsInfo | null = null;
let infoPromise: Promise<RoadsInfo> | null = null;

/** GET /roads/info once (a failure counts as "no roads", asked again next time). */
export function roadsInfo(): Promise<RoadsInfo> {
  infoPromise ??= get<RoadsInfo>('/roads/info')
    .then((i) => (info = i))
    .catch(() => {
      infoPromise = null;
      return { loaded: false };
    });
  return infoPromise;
}

export function roadsLoaded(): boolean {
  return info?.loaded === true;
}

/** Adds the roads layer to `map` when the node has roads; resolves to the layer (or null). */
export async function addRoadsLayer(map: L.Map, container: HTMLElement): Promise<L.GeoJSON | null> {
  const i = await roadsInfo();
  if (!i.loaded) return null;
  // Its own pane under the overlay pane (boundaries) and the marker pane (incidents, units).
  const pane = map.createPane('roads');
  pane.style.zIndex = '350';
  pane.style.pointerEvents = 'none';
  // One canvas for thousands of lines (SVG would be a DOM node each); Leaflet hands the GeoJSON
  // options to every polyline it makes, the renderer included.
  const options: L.GeoJSONOptions & L.PathOptions = {
    pane: 'roads',
    interactive: false,
    renderer: L.canvas({ pane: 'roads', padding: 0.2 }),
    style: (f) => {
      const s = STYLE[(f?.properties as { class?: string } | undefined)?.class ?? 'other'] ?? STYLE.other;
      return { color: s.color, weight: s.weight, opacity: 0.9, lineCap: 'round', lineJoin: 'round' };
    },
  };
  const layer = L.geoJSON(undefined, options);
  layer.addTo(map);
  // "Zoom in for all streets" while the answer was cut to its major classes.
  const note = L.DomUtil.create('div', 'map-note', container);
  note.dataset.testid = 'roads-truncated';
  note.hidden = true;
  const label = () => (note.textContent = t('map.roadsTruncated'));
  label();
  onLanguageChange(label);
  let timer: number | undefined;
  let inFlight: AbortController | null = null;
  let seq = 0;
  const refresh = async () => {
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(5)).join(',');
    const zoom = Math.round(map.getZoom());
    inFlight?.abort();
    const abort = new AbortController();
    inFlight = abort;
    const mine = ++seq;
    container.dataset.roadsState = 'loading';
    try {
      const res = await fetch(`/api/v1/roads?bbox=${bbox}&zoom=${zoom}`, {
        credentials: 'same-origin',
        headers: { Accept: 'application/geo+json, application/json' },
        signal: abort.signal,
      });
      if (!res.ok) throw new ApiError(res.status, `http_${res.status}`, res.statusText);
      const gj = (await res.json()) as RoadFeatures;
      if (mine !== seq) return;
      layer.clearLayers();
      layer.addData(gj);
      container.dataset.roadFeatures = String(gj.features.length);
      container.dataset.roadsTruncated = String(gj.truncated === true);
      note.hidden = gj.truncated !== true;
      container.dataset.roadsState = 'ready';
    } catch (e) {
      if (mine !== seq || (e instanceof DOMException && e.name === 'AbortError')) return;
      container.dataset.roadsState = 'error'; // the map works without roads; the next move retries
    }
  };
  map.on('moveend', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void refresh(), DEBOUNCE_MS);
  });
  await refresh();
  return layer;
}
