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
}

export interface Unit {
  id: string;
  name?: string;
  call_sign?: string;
  type?: string;
  status?: string;
  location?: LonLat | null;
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
