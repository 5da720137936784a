// Shapes of the CAP alerts API's answers (docs/API.md "Alerts"; the records are
// src/engine/alert_records.cpp's to_json, the preview src/api/alert_routes.cpp's preview_alert).

/** [lon, lat], as the API writes points. */
export type Point = [number, number];

export interface AlertCircle {
  centre: Point;
  radius_km: number;
}

/** The CAP info block a person composes (one language) and its area. */
export interface AlertContent {
  language: string;
  categories: string[];
  event: string;
  response_types: string[];
  urgency: string;
  severity: string;
  certainty: string;
  sender_name: string;
  headline: string;
  description: string;
  instruction: string;
  contact: string;
  web: string;
  onset: string | null;
  expires: string | null;
  area_desc: string;
  polygons: Point[][];
  circles: AlertCircle[];
  geocodes: string[];
}

export interface AlertStep {
  action: string;
  by: string;
  at: string;
  note: string;
  permission?: string;
}

/** One codec issue: a violation of CAP 1.2 with its stable code and element path. */
export interface CapIssue {
  severity: 'error' | 'warning';
  code: string;
  path: string;
  message: string;
}

export type Direction = 'outgoing' | 'incoming';

export interface Alert {
  id: string;
  jurisdiction: string;
  direction: Direction;
  /** outgoing: draft | pending_approval | published | superseded | cancelled;
   * incoming: received | superseded | cancelled | quarantined */
  state: string;
  warning_id: string;
  msg_type: string; // Alert | Update | Cancel
  cap_status: string; // Actual | Exercise | Test
  scope: string;
  level: string;
  approval: string; // '' | warning.approve.orange | warning.approve.red
  replaces: string;
  replaced_by: string;
  content: AlertContent;
  identifier: string;
  sender: string;
  sent: string | null;
  references: string[];
  /** The CAP document (GET of one alert and the stream's events; lists leave it out). */
  xml?: string;
  /** Lists: whether the alert has a document. */
  has_document?: boolean;
  source: string;
  report: CapIssue[] | null;
  drafted_by: string;
  steps: AlertStep[];
  created_at: string;
  updated_at: string;
  /** GET of one alert: whether the caller may approve or reject it now. */
  may_approve?: boolean;
}

/** What a draft is made from: the body of POST /alerts and /alerts/preview. */
export interface DraftBody {
  warning_id?: string;
  msg_type: 'Alert' | 'Update' | 'Cancel';
  replaces?: string;
  status: string;
  content?: AlertContent;
}

export interface Preview {
  xml: string;
  issues: CapIssue[];
  ok: boolean;
  approval: string;
  content: AlertContent;
  provisional: { identifier: string; sent: string };
}

export const CAP_STATUSES = ['Actual', 'Exercise', 'Test'];
export const URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'];
export const SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'];
export const CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'];
export const CATEGORIES = ['Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other'];

/** Where the public CAP document of a published alert is served (no sign-in). */
export const publicCapUrl = (id: string) => `/api/v1/cap/alerts/${encodeURIComponent(id)}`;
