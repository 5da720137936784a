// Shapes of the monitoring API's answers (docs/API.md "Monitoring"; the records are
// src/engine/monitoring_records.cpp's to_json, the chart src/api/monitoring_routes.cpp).
import type { LonLat } from './types';

/** A warning level; '' when nothing fires. Ordered by gravity in LEVEL_RANK. */
export type Level = '' | 'blue' | 'yellow' | 'orange' | 'red';
export const LEVELS: Level[] = ['blue', 'yellow', 'orange', 'red'];
export const LEVEL_RANK: Record<string, number> = { '': 0, blue: 1, yellow: 2, orange: 3, red: 4 };

export interface StationParameter {
  code: string;
  unit: string;
  interval_s: number;
  max_rate_per_hour: number | null;
  flat_line_count: number;
}

export interface Condition {
  parameter: string;
  detector: string;
  level: string;
  since: string;
  value: number;
  score: number;
  limit: number;
  reason: string;
}

export interface MonStation {
  id: string;
  jurisdiction: string;
  name: string;
  kind: string;
  sampling: string;
  operator: string;
  location: LonLat;
  target_class: number;
  drinking_water_source: boolean;
  river_site: string | null;
  counts: boolean;
  parameters: StationParameter[];
  active: boolean;
  level: string;
  conditions: Condition[];
  /** Newest value per parameter (the list and GET of one station; kept current by the stream). */
  latest?: Record<string, { time: string; value: number }>;
}

export interface WarningStep {
  action: string;
  level: string;
  by: string;
  at: string;
  note: string;
}

export interface Warning {
  id: string;
  jurisdiction: string;
  level: string;
  status: string; // raised | confirmed | issued | lifted
  source: string; // detector | manual | geofence
  title: string;
  description: string;
  type: string | null;
  location: LonLat | null;
  station_id: string | null;
  parameter: string | null;
  detector: string | null;
  fence_id: string | null;
  object_id: string | null;
  value: number;
  score: number;
  limit: number;
  condition_active: boolean;
  incident_id: string | null;
  raised_at: string;
  updated_at: string;
  steps: WarningStep[];
}

/** GET /monitoring/stations/{id}/readings: one bucket of the range (one reading when n is 1). */
export interface ChartPoint {
  t: string;
  n: number;
  min: number;
  max: number;
  mean: number;
  last: number;
}

export interface Limits {
  standard?: string;
  bound?: string; // upper | lower | range
  classes?: Record<string, number>;
  target_class?: string;
  target?: number;
  range_low?: number;
}

export interface ChartAnswer {
  station_id: string;
  parameter: string;
  unit: string;
  from: string;
  to: string;
  points: ChartPoint[];
  limits: Limits;
  conditions: Array<{ detector: string; level: string; since: string }>;
  downsampled?: boolean;
}

export interface TrackedObject {
  id: string;
  jurisdiction: string;
  kind: string;
  name: string;
  operator: string;
  position: { time: string; lon: number; lat: number; speed_kmh: number | null } | null;
}

export interface Fence {
  id: string;
  jurisdiction: string;
  name: string;
  kind: string;
  area: GeoJSON.Polygon;
  rules: { enter: boolean; exit: boolean; dwell_s: number | null; speed_above_kmh: number | null };
  object_kinds: string[];
  warning_level: string | null;
  active: boolean;
  hits: number;
  last_hit_at: string | null;
}

/** The river network as GET /river gives it: reaches (LineStrings) and sites (Points). */
export interface RiverNetwork extends GeoJSON.FeatureCollection {
  loaded_at?: string;
  loaded_by?: string;
}

export interface Arrival {
  site: string;
  kind: string;
  name: string;
  reach: string;
  offset_m: number;
  distance_m: number;
  arrival: string;
  station?: string;
  leading_edge?: string;
  peak_mg_l?: number;
  peak_at?: string;
}

export interface Entry {
  jurisdiction: string;
  from_jurisdiction: string;
  at: string;
  reach: string;
  distance_m: number;
  border_site?: string;
}

export interface Prediction {
  arrivals: Arrival[];
  entries: Entry[];
  warnings: string[];
}

/** A reading as the stream's `readings` telemetry gives it. */
export interface LiveReading {
  station_id: string;
  parameter: string;
  time: string;
  value: number;
  level: string;
}
