// Shapes of the node's API (docs/API.md). Fields the docs leave open are optional here and read
// defensively (see node.ts and units in map.ts).
export interface LonLat {
  lon: number;
  lat: number;
}

export interface Figures {
  deaths?: number;
  serious_injuries?: number;
  injuries?: number;
  missing?: number;
  affected?: number;
  direct_loss_yuan?: number;
}

export interface GradeHistoryEntry {
  kind: string; // proposed | confirmed
  grade: string;
  by?: string;
  at?: string;
  reason?: string;
}

export interface Incident {
  id: string;
  jurisdiction?: string;
  status: string;
  category?: string;
  type?: string;
  priority?: string;
  title?: string;
  description?: string;
  location?: LonLat | null;
  address?: string | null;
  located?: boolean;
  figures?: Figures;
  grade?: { proposed?: string | null; confirmed?: string | null; history?: GradeHistoryEntry[] };
  alarm_ids?: string[];
  alarm_count?: number;
  opened_at?: string;
  updated_at?: string;
  closed_at?: string | null;
  merged_into?: string | null;
}

export interface Alarm {
  id: string;
  channel?: string;
  reported_at?: string;
  received_at?: string;
  caller?: Caller | null;
  location?: LonLat | null;
  address?: string | null;
  type?: string;
  category?: string;
  description?: string;
  figures?: Figures;
  incident_id?: string | null;
  status?: string;
  nuisance?: string | null;
  located?: boolean;
}

export interface TimelineEntry {
  seq: number;
  time: string;
  type: string;
  by?: string;
  summary?: string;
}

export interface IncidentDetail extends Incident {
  alarms?: Alarm[];
  assignments?: Assignment[];
  timeline?: TimelineEntry[];
}

export interface IncidentType {
  code: string;
  category: string;
  family?: string;
  name_zh: string;
  name_en: string;
}

export interface Taxonomy {
  categories: string[];
  types: IncidentType[];
  grades: string[];
  priorities: string[];
  channels: string[];
  /** Unit type codes (the shared ones and the node's own). */
  unitTypes: string[];
}

/** Where a unit is shown: its newest fix, else its station (docs/API.md "Units"). */
export interface UnitPosition extends LonLat {
  source: string; // fix | station | none
  time?: string | null;
  speed_kmh?: number | null;
  heading_deg?: number | null;
  stale?: boolean;
  on_road?: boolean;
}

export interface UnitHistoryEntry {
  status: string;
  at: string;
  incident_id?: string | null;
  by?: string;
  reason?: string;
}

export interface Unit {
  id: string;
  jurisdiction?: string;
  call_sign?: string;
  type?: string;
  agency_id?: string;
  station_id?: string;
  capabilities?: string[];
  crew?: number;
  status?: string;
  status_since?: string;
  incident_id?: string | null;
  position?: UnitPosition | null;
  history?: UnitHistoryEntry[];
}

export interface Station {
  id: string;
  jurisdiction?: string;
  name: string;
  agency_id?: string;
  location: LonLat | null;
}

export interface Agency {
  id: string;
  jurisdiction?: string;
  name: string;
  kind?: string;
}

/** A unit sent to an incident (the incident's `assignments`). */
export interface Assignment {
  unit_id: string;
  call_sign?: string;
  unit_type?: string;
  agency_id?: string;
  dispatched_at?: string;
  en_route_at?: string | null;
  on_scene_at?: string | null;
  cleared_at?: string | null;
  ended?: string | null; // null | cleared | recalled | reassigned
  eta_s?: number | null;
  recommended?: boolean;
  mutual_aid_rule?: string | null;
}

/** One slot of a force requirement. */
export interface RequirementSlot {
  type: string;
  count: number;
  capabilities: string[];
}

export interface RecommendedUnit {
  unit_id: string;
  call_sign?: string;
  type?: string;
  jurisdiction?: string;
  agency_id?: string;
  status?: string;
  eta_s?: number | null;
  length_m?: number | null;
  straight_m?: number | null;
  mutual_aid_rule?: string | null;
  position?: UnitPosition | null;
  route?: GeoJSON.LineString | null;
}

export interface SlotAnswer extends RequirementSlot {
  unfilled?: number;
  units: RecommendedUnit[];
  alternatives?: RecommendedUnit[];
}

export interface Recommendation {
  incident_id: string;
  method: string; // road | straight_line
  notice?: string | null;
  requirement?: RequirementSlot[];
  requirement_source?: string; // request | type_default
  computed_at?: string;
  micros?: number;
  total_eta_s?: number | null;
  slots: SlotAnswer[];
}

export interface UnitIntervals {
  unit_id: string;
  unit_type?: string;
  agency_id?: string;
  turnout_s?: number | null;
  travel_s?: number | null;
  recalled?: boolean;
}

export interface IncidentIntervals {
  incident_id: string;
  call_processing_s?: number | null;
  turnout_first_s?: number | null;
  travel_first_s?: number | null;
  travel_first_engine_s?: number | null;
  total_s?: number | null;
  units?: UnitIntervals[];
  targets?: Record<string, number | null | undefined>;
}

export interface MoveUp {
  unit_id: string;
  call_sign?: string;
  to_station_id: string;
  to_station?: string;
  to?: LonLat; // the station's position
  share_before?: number;
  share_after?: number;
  travel_s?: number | null;
}

export interface CoverageAnswer {
  type: string;
  target_s?: number;
  method?: string;
  share?: number;
  units?: number;
  move_ups?: MoveUp[];
}

export interface NodeInfo {
  jurisdiction: string;
  name: string;
  timeZone: string;
  center: LonLat | null;
  zoom: number | null;
  tileUrl: string | null;
  tileAttribution: string | null;
  /** Jurisdiction code → name: the node's own and its subordinates (the /node tree). */
  divisions: Map<string, string>;
  /** Jurisdiction code → its parent's code (the /node tree). */
  parents: Map<string, string>;
  /** A position fix older than this makes a unit stale (dispatch.stale_after_s, default 120). */
  staleAfterS: number;
}

export interface JournalEvent {
  seq: number;
  origin?: string;
  jurisdiction?: string;
  time?: string;
  type: string;
  data?: Record<string, unknown>;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  field?: string;
}

export interface RoleGrant {
  role: string;
  jurisdiction?: string;
  subordinates?: boolean;
  agency_only?: boolean;
}

/** Who is signed in (GET/POST /session). */
export interface Principal {
  kind: string; // person | key
  id: string;
  name: string;
  display_name?: string;
  agency_id?: string;
  jurisdiction?: string;
  roles: RoleGrant[];
  permissions: string[];
}

export interface SessionInfo {
  expires_at?: string;
  csrf_token?: string;
  principal: Principal;
}

export interface Caller {
  name?: string;
  number?: string;
  masked?: boolean;
}

export interface AuditEvent extends JournalEvent {
  prev_hash?: string;
  hash?: string;
}

export interface RoleInfo {
  name: string;
  title?: string;
  title_zh?: string;
  rank?: number;
  permissions?: string[];
}

export interface Person {
  id: string;
  name: string;
  display_name?: string;
  agency_id?: string;
  jurisdiction?: string;
  roles: Array<RoleGrant | string>;
  disabled?: boolean;
}

export interface ApiKeyInfo {
  id: string;
  name?: string;
  role?: string;
  jurisdiction?: string;
  created_at?: string;
  revoked?: boolean;
}
